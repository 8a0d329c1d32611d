/** Shared helpers for the doctor tests: configs from a plain env, DNS overrides, output checks. */

import type { LookupAddress } from "node:dns";
import { mkdtempSync } from "node:fs";
import type { LookupFunction } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { type ConfigReport, loadConfig } from "../../src/config/load.js";
import { AUTH_CAUSES } from "../../src/diagnostics/causes.js";
import {
  type CallRecord,
  type DoctorContext,
  type DoctorReport,
  diagnose,
  renderHuman,
  renderJson,
  renderMarkdown,
} from "../../src/diagnostics/index.js";

const EMPTY_DIR = mkdtempSync(join(tmpdir(), "atp-doctor-"));

/** A ConfigReport from exactly these variables (no .env files, no process env). */
export function configFrom(env: Record<string, string>): ConfigReport {
  return loadConfig({ cwd: EMPTY_DIR, env });
}

/**
 * A DNS override: listed names resolve to the given address, everything else fails with ENOTFOUND
 * (as a real resolver does for an unknown name). Handles `all: true` (Node's autoSelectFamily).
 */
export function hostsLookup(hosts: Record<string, string>): LookupFunction {
  return ((hostname: string, options: unknown, callback: unknown) => {
    const cb = (typeof options === "function" ? options : callback) as (
      err: NodeJS.ErrnoException | null,
      address: string | LookupAddress[],
      family?: number,
    ) => void;
    const all =
      typeof options === "object" && options !== null && (options as { all?: boolean }).all === true;
    const ip = hosts[hostname] ?? (/^\d+\.\d+\.\d+\.\d+$/.test(hostname) ? hostname : undefined);
    setImmediate(() => {
      if (!ip) {
        const err = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
          code: "ENOTFOUND",
          hostname,
        }) as NodeJS.ErrnoException;
        cb(err, all ? [] : "", undefined);
        return;
      }
      if (all) cb(null, [{ address: ip, family: 4 }]);
      else cb(null, ip, 4);
    });
  }) as LookupFunction;
}

export interface Run {
  report: DoctorReport;
  calls: CallRecord[];
  ms: number;
  outputs: { json: string; human: string; markdown: string };
}

/** Fast timings for loopback scenarios (the defaults are for real networks). */
export const FAST = { clockSampleGapMs: 0, callMs: 2_500, totalMs: 8_000 } as const;

export async function runDoctor(ctx: Omit<DoctorContext, "onCall">): Promise<Run> {
  const calls: CallRecord[] = [];
  const t0 = performance.now();
  const report = await diagnose({ timeouts: FAST, ...ctx, onCall: (c) => calls.push(c) });
  const ms = performance.now() - t0;
  const run: Run = {
    report,
    calls,
    ms,
    outputs: {
      json: renderJson(report),
      human: renderHuman(report),
      markdown: renderMarkdown(report, { order: ctx.order }),
    },
  };
  // Every scenario: no configured secret in any output, and the documented call budget.
  expectNoSecrets(
    run,
    ctx.config.secrets.map((s) => s.value),
  );
  expectWithinBudget(calls);
  return run;
}

/** The call budget documented in docs/doctor.md ("Calls"). */
export function expectWithinBudget(calls: readonly CallRecord[]): void {
  const count = (f: (c: CallRecord) => boolean) => calls.filter(f).length;
  expect(count((c) => c.method.startsWith("public/"))).toBeLessThanOrEqual(4);
  expect(count((c) => c.method === "private/user-balance")).toBeLessThanOrEqual(2);
  expect(count((c) => c.method === "private/cancel-order")).toBeLessThanOrEqual(1);
  expect(count((c) => c.method === "private/get-deposit-address")).toBeLessThanOrEqual(1);
  expect(count((c) => c.method.startsWith("private/"))).toBeLessThanOrEqual(3);
  expect(count((c) => c.target === "ip_echo" || c.method === "proxy/outbound-ip")).toBeLessThanOrEqual(2);
  expect(count((c) => c.method === "health")).toBeLessThanOrEqual(1);
  expect(calls.some((c) => /create-order|create-oco|create-withdrawal/.test(c.method))).toBe(false);
  expect(calls.length).toBeLessThanOrEqual(10);
}

/** No configured secret value appears in any output (JSON, human, markdown). */
export function expectNoSecrets(run: Run, secrets: readonly string[]): void {
  for (const [name, text] of Object.entries(run.outputs)) {
    for (const s of secrets) {
      expect(text.includes(s), `secret ${s.slice(0, 3)}… leaked in ${name} output`).toBe(false);
    }
    // The report is redacted by value as a last line of defence; nothing may even reach it.
    expect(text, `a secret reached the redactor (${name} output)`).not.toMatch(/\[[A-Z_]+ len=\d+/);
  }
}

export function ids(r: DoctorReport): string[] {
  return r.causes.map((c) => c.id);
}

export function authCauseIds(r: DoctorReport): string[] {
  return r.causes.filter((c) => AUTH_CAUSES.has(c.id)).map((c) => c.id);
}

export function evidenceText(r: DoctorReport, id: string): string {
  const c = r.causes.find((x) => x.id === id);
  return c ? [c.summary, ...c.evidence, ...c.fix].join("\n") : "";
}

export function check(r: DoctorReport, id: string) {
  const c = r.checks.find((x) => x.id === id);
  if (!c) throw new Error(`no check ${id}`);
  return c;
}
