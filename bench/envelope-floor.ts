/**
 * The floor of a private request: `sign()` + `JSON.stringify` of the envelope a bench captured on
 * the wire (its id, method, key, params and nonce), with nothing around it: no nonce source, no
 * param checks, no transport. What a create-order cannot go below in this process.
 */
import { sign } from "../src/exchange/cryptocom/signing.js";
import { measure } from "./lib.js";

/** A captured private request's envelope fields, and one signed and serialised copy of it per call. */
function envelopeSigner(body: string, secret: string): (i: number) => number {
  const env = JSON.parse(body) as {
    id: number;
    method: string;
    api_key: string;
    params: Record<string, string>;
    nonce: number;
  };
  return (i) => {
    const nonce = env.nonce + i;
    const input = { method: env.method, id: env.id, apiKey: env.api_key, params: env.params, nonce };
    const sig = sign(input, secret);
    return JSON.stringify({
      id: env.id,
      method: env.method,
      api_key: env.api_key,
      params: env.params,
      nonce,
      sig,
    }).length;
  };
}

/** ms per envelope for the captured request `body`, signed with `secret`. */
export function envelopeFloorMs(body: string, secret: string): number {
  const signOne = envelopeSigner(body, secret);
  let sink = 0;
  const m = measure(
    "floor",
    () => {
      for (let i = 0; i < 100; i++) sink += signOne(i);
      return 100;
    },
    500,
  );
  if (sink === 42) process.stderr.write("");
  return m.nsPerOp / 1e6;
}

/**
 * How much slower the same signing runs right after the process slept `idleMs` than back to back
 * (median of `rounds` batches of 20 envelopes each way): this machine's cold-CPU factor.
 */
export async function envelopeColdFactor(
  body: string,
  secret: string,
  idleMs = 40,
  rounds = 40,
): Promise<number> {
  const signOne = envelopeSigner(body, secret);
  const batch = () => {
    const t = process.hrtime.bigint();
    for (let i = 0; i < 20; i++) signOne(i);
    return Number(process.hrtime.bigint() - t);
  };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  const hot: number[] = [];
  const cold: number[] = [];
  for (let i = 0; i < 200; i++) batch();
  for (let r = 0; r < rounds; r++) {
    batch();
    hot.push(batch());
    await new Promise((res) => setTimeout(res, idleMs));
    cold.push(batch());
  }
  return median(cold) / median(hot);
}
