/**
 * Row ids: time-ordered and globally unique. An intent id feeds the client_oid of its orders, so
 * ids never repeat across databases (a restored or recreated store cannot re-issue an id the
 * exchange has seen): 9 base-36 characters of the creation time (ms), 4 of a per-process counter
 * (ordering within one millisecond), then 16 random hex characters.
 */
import { randomFillSync } from "node:crypto";

let lastMs = -1;
let counter = 0;

/** Random bytes drawn 4 KiB at a time (one system call per 512 ids instead of one per id). */
const pool = Buffer.alloc(4096);
let poolAt = pool.length;

function random16Hex(): string {
  if (poolAt + 8 > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const hex = pool.toString("hex", poolAt, poolAt + 8);
  poolAt += 8;
  return hex;
}

export function newId(nowMs: number): string {
  if (nowMs === lastMs) counter = (counter + 1) % 36 ** 4;
  else {
    lastMs = nowMs;
    counter = 0;
  }
  const time = Math.max(0, Math.trunc(nowMs)).toString(36).padStart(9, "0");
  return `${time}${counter.toString(36).padStart(4, "0")}${random16Hex()}`;
}
