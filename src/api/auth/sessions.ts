/**
 * Dashboard sessions and one-time login codes, in memory (a restart logs everyone out).
 *
 * Invariants:
 * - A session id and a login code are 32 random bytes; the cookie carries only the id, never the
 *   API token. Each session has its own CSRF token, compared in constant time.
 * - A session expires SESSION_IDLE_MS after its last use; a login code LOGIN_CODE_TTL_MS after it
 *   was issued, and it works once.
 * - Time comes from the injected clock only.
 */
import type { Clock } from "../../util/clock.js";
import { randomSecret, secretsEqual } from "./token.js";

export const SESSION_COOKIE = "atp_session";
export const SESSION_IDLE_MS = 12 * 3600_000;
export const LOGIN_CODE_TTL_MS = 10 * 60_000;

export interface ApiSession {
  id: string;
  csrf: string;
  lastUsed: number;
}

export class ApiSessions {
  private readonly sessions = new Map<string, ApiSession>();
  private readonly codes = new Map<string, number>();

  constructor(private readonly clock: Clock) {}

  create(): ApiSession {
    const s: ApiSession = { id: randomSecret(), csrf: randomSecret(), lastUsed: this.clock.now() };
    this.sessions.set(s.id, s);
    return s;
  }

  /** The live session of the cookie value (touching it), or undefined. */
  get(id: string | undefined): ApiSession | undefined {
    if (!id) return undefined;
    const s = this.sessions.get(id);
    if (!s) return undefined;
    const now = this.clock.now();
    if (now - s.lastUsed > SESSION_IDLE_MS) {
      this.sessions.delete(id);
      return undefined;
    }
    s.lastUsed = now;
    return s;
  }

  csrfMatches(s: ApiSession, header: string | undefined): boolean {
    return typeof header === "string" && secretsEqual(header, s.csrf);
  }

  remove(id: string | undefined): void {
    if (id) this.sessions.delete(id);
  }

  issueCode(): string {
    const now = this.clock.now();
    for (const [c, at] of this.codes) if (now - at > LOGIN_CODE_TTL_MS) this.codes.delete(c);
    const code = randomSecret();
    this.codes.set(code, now);
    return code;
  }

  /** True (once) for a code issued within its lifetime. */
  redeemCode(code: string): boolean {
    const at = this.codes.get(code);
    if (at === undefined) return false;
    this.codes.delete(code);
    return this.clock.now() - at <= LOGIN_CODE_TTL_MS;
  }
}
