/**
 * Which methods the signing proxy signs. By default: the private methods of the endpoint table
 * (src/exchange/cryptocom/endpoints.ts, every method atp calls) that do not need the withdraw
 * permission. A method that needs it (create-withdrawal, get-deposit-address) is signed only when
 * the operator names it in CRYPTO_PROXY_ALLOW_METHODS; a method outside the table never is.
 *
 * Invariants: method names come from clients, so they are looked up in Maps/Sets only; the policy
 * is fixed when the proxy starts.
 */
import { endpoint } from "../exchange/cryptocom/endpoints.js";

export interface MethodPolicy {
  /** Why the proxy refuses to sign `method`; undefined when it signs it. */
  refusal(method: string): string | undefined;
  /** The withdraw-permission methods the operator allowed explicitly (for the start-up log). */
  readonly extraAllowed: readonly string[];
}

/** Why `names` (CRYPTO_PROXY_ALLOW_METHODS entries) cannot be allowed, or undefined. */
export function allowMethodsProblem(names: readonly string[]): string | undefined {
  for (const n of names) {
    const e = endpoint(n);
    if (e?.access !== "private")
      return `${n} is not a private method of atp's endpoint table; the proxy can only sign those`;
    if (e.permission !== "withdraw")
      return `${n} is signed without being listed (only withdraw-permission methods need listing)`;
  }
  return undefined;
}

export function methodPolicy(allow: readonly string[] = []): MethodPolicy {
  const problem = allowMethodsProblem(allow);
  if (problem) throw new Error(`signing proxy: CRYPTO_PROXY_ALLOW_METHODS: ${problem}`);
  const allowed = new Set(allow);
  return {
    extraAllowed: [...allowed],
    refusal(method) {
      const e = endpoint(method);
      if (e?.access !== "private")
        return `${method} is not a private method atp calls: this proxy signs only those`;
      if (e.permission === "withdraw" && !allowed.has(method))
        return `${method} needs the withdraw permission: this proxy does not sign it (not in CRYPTO_PROXY_ALLOW_METHODS)`;
      return undefined;
    },
  };
}
