/**
 * The disk's own floor of one durable write, sampled in the same run and directory as a bench's
 * store, between its orders (outside their measurement): `pages` 4 KiB pages written over a file
 * allocated beforehand (as SQLite rewrites its WAL after a checkpoint) and `fsync`ed, from Node
 * (`fs.writeSync` + `fs.fsyncSync`, what better-sqlite3 does from C). No SQL, no JS around it: what
 * any path that makes a row durable before a request pays on this disk, whatever its code.
 *
 * Also: the WAL frames a commit appends, from the WAL file's size before and after it (a commit
 * after a checkpoint rewrites the WAL from its start and tells nothing: it is skipped).
 */
import { closeSync, existsSync, fsyncSync, openSync, rmSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import { fmt, pct } from "./lib.js";

const PAGE = 4096;
/** A WAL frame: its 24-byte header and one page. */
const FRAME = PAGE + 24;
/** Distinct page offsets the samples cycle over (16 MiB): rewrites, never a growing file. */
const SLOTS = 4096;

export class DurableWriteFloor {
  private readonly file: string;
  private readonly fd: number;
  private readonly page = Buffer.alloc(PAGE, 0x5a);
  private next = 0;
  private readonly samples = new Map<number, number[]>();
  private readonly frames: number[] = [];
  private commitsNoted = 0;

  constructor(
    dir: string,
    private readonly sizes: readonly number[] = [1, 24],
  ) {
    this.file = join(dir, "durable-write-floor.bin");
    this.fd = openSync(this.file, "w+");
    for (let i = 0; i < SLOTS; i++) writeSync(this.fd, this.page, 0, PAGE, i * PAGE);
    fsyncSync(this.fd);
  }

  /** One sample of each size (call it between orders). */
  sample(): void {
    for (const pages of this.sizes) {
      const t = process.hrtime.bigint();
      for (let k = 0; k < pages; k++) {
        writeSync(this.fd, this.page, 0, PAGE, this.next * PAGE);
        this.next = (this.next + 1) % SLOTS;
      }
      fsyncSync(this.fd);
      const ms = Number(process.hrtime.bigint() - t) / 1e6;
      const xs = this.samples.get(pages) ?? [];
      xs.push(ms);
      this.samples.set(pages, xs);
    }
  }

  /** The WAL's size in bytes (0 when there is none): call before and after a commit, then `noteCommit`. */
  static walSize(dbFile: string): number {
    const wal = `${dbFile}-wal`;
    return existsSync(wal) ? statSync(wal).size : 0;
  }

  noteCommit(walBefore: number, walAfter: number): void {
    this.commitsNoted += 1;
    if (walAfter > walBefore) this.frames.push(Math.round((walAfter - walBefore) / FRAME));
  }

  close(): void {
    closeSync(this.fd);
    rmSync(this.file, { force: true });
  }

  /** p50 / p99 / max of `pages` pages written and fsynced, ms. */
  figures(pages: number): { p50: number; p99: number; max: number; n: number } {
    const xs = this.samples.get(pages) ?? [];
    return { p50: pct(xs, 50), p99: pct(xs, 99), max: xs.length ? Math.max(...xs) : 0, n: xs.length };
  }

  /** The report's lines: one row per size, and the frames a commit appended. */
  lines(where: string): string[] {
    const rows = this.sizes.map((pages) => {
      const f = this.figures(pages);
      return `| ${pages} page${pages === 1 ? "" : "s"} (${fmt((pages * PAGE) / 1024)} KiB) | ${fmt(f.n)} | ${fmt(f.p50, 3)} | ${fmt(f.p99, 3)} | ${fmt(f.max, 3)} |`;
    });
    const fr = this.frames;
    const frames = !this.commitsNoted
      ? []
      : fr.length
        ? [
            "",
            `The commit on the path appended ${fmt(pct(fr, 50))} WAL frames at p50 (${fmt(Math.min(...fr))}–${fmt(Math.max(...fr))}; ${fmt(fr.length)} of ${fmt(this.commitsNoted)} commits grew the WAL; the others rewrote WAL space a checkpoint had freed).`,
          ]
        : ["", "No commit on the path grew the WAL (each followed a checkpoint)."];
    return [
      `The disk's own floor (${where}), sampled between the orders of this run in the store's directory: pages written`,
      "over an allocated file and fsynced from Node, no SQL (bench/durable-write-floor.ts), ms:",
      "",
      "| one durable write | samples | p50 | p99 | max |",
      "|---|---:|---:|---:|---:|",
      ...rows,
      ...frames,
    ];
  }
}
