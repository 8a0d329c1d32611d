/**
 * How the exchange is answering, from the outcomes of the client's requests (its `onCall`): ok,
 * degraded (some recent failures) or down (failing without a success in between), with the reason
 * in words and the last error by code.
 *
 * Invariants:
 * - Classified by category and code only, never by message text.
 * - Failures that concern one request (an order refused, an unknown id: disposition "skip") say
 *   nothing about the exchange's health and are not counted; authentication failures count as
 *   degraded (the auth breaker, not this, reports auth_failed).
 * - Recovers by itself: one success ends a "down" streak; a method that answers again is no longer
 *   counted as failing, and a failure older than `windowMs` is forgotten.
 */
import { CATEGORY_DISPOSITION, ERROR_CATEGORIES, type ErrorCategory } from "../../domain/errors.js";
import type { ExchangeCallOutcome } from "../../exchange/cryptocom/client.js";
import type { Clock } from "../../util/clock.js";

export interface CallFailure {
  code: number | null;
  name: string;
  category: string;
  method: string;
  at: number;
}

export interface CallHealthView {
  status: "ok" | "degraded" | "down";
  reason: string | null;
  lastError: CallFailure | null;
  lastSuccessAt: number | null;
}

export interface CallHealthOptions {
  time: Clock;
  /** A method whose last call failed within this long makes the exchange "degraded" (default 60 s). */
  windowMs?: number;
  /** This many failures in a row without a success make it "down" (default 3). */
  downAfter?: number;
}

const AUTH: ReadonlySet<string> = new Set(["auth", "ip_not_whitelisted", "nonce", "permission"]);
const KNOWN: ReadonlySet<string> = new Set(ERROR_CATEGORIES);

function requestProblem(category: string): boolean {
  return (
    KNOWN.has(category) &&
    CATEGORY_DISPOSITION[category as ErrorCategory] === "skip" &&
    category !== "unknown"
  );
}

export class CallHealth {
  private readonly windowMs: number;
  private readonly downAfter: number;
  /** Per method: its last failure, while no success followed it. */
  private readonly failing = new Map<string, CallFailure>();
  private streak: CallFailure[] = [];
  private lastOk: number | null = null;
  private last: CallFailure | null = null;

  constructor(private readonly opts: CallHealthOptions) {
    this.windowMs = opts.windowMs ?? 60_000;
    this.downAfter = opts.downAfter ?? 3;
  }

  record(c: ExchangeCallOutcome): void {
    const at = this.opts.time.now();
    if (c.ok) {
      this.lastOk = at;
      this.streak = [];
      this.failing.delete(c.method);
      return;
    }
    const category = c.category ?? "unknown";
    if (requestProblem(category)) return;
    const f: CallFailure = {
      code: c.code ?? null,
      name: c.name ?? category.toUpperCase(),
      category,
      method: c.method,
      at,
    };
    this.last = f;
    this.failing.delete(c.method);
    this.failing.set(c.method, f); // newest last
    if (!AUTH.has(category)) this.streak.push(f);
  }

  view(): CallHealthView {
    const now = this.opts.time.now();
    for (const [m, f] of this.failing) if (now - f.at > this.windowMs) this.failing.delete(m);
    const base = { lastError: this.last, lastSuccessAt: this.lastOk };
    const first = this.streak[0];
    const newest = this.streak[this.streak.length - 1];
    if (first && newest && this.streak.length >= this.downAfter) {
      return {
        ...base,
        status: "down",
        reason: `${describe(newest)} since ${clockText(first.at)} (${this.streak.length} failures in a row)`,
      };
    }
    const failing = [...this.failing.values()];
    const latest = failing[failing.length - 1];
    if (latest) {
      const n = failing.length;
      return {
        ...base,
        status: "degraded",
        reason: `${n} exchange method${n === 1 ? "" : "s"} failing; last: ${describe(latest)} at ${clockText(latest.at)}`,
      };
    }
    return { ...base, status: "ok", reason: null };
  }
}

function describe(f: CallFailure): string {
  const what =
    f.category === "maintenance"
      ? "exchange maintenance"
      : f.category === "rate_limit"
        ? "rate limited"
        : f.category === "server"
          ? "exchange server error"
          : f.category === "timeout"
            ? "exchange not answering (timeout)"
            : f.category === "network"
              ? "exchange unreachable"
              : `${f.category} failure`;
  return `${what} (${f.code !== null ? `${f.code} ` : ""}${f.name}) on ${f.method}`;
}

function clockText(ms: number): string {
  return `${new Date(ms).toISOString().slice(11, 19)} UTC`;
}
