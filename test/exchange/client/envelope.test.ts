import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SIGNING_VECTORS as VECTORS } from "../../../src/diagnostics/signing-vectors.js";
import {
  assertSendableParams,
  buildPrivateEnvelope,
  buildProxyBody,
  PreparedHmac,
  publicQuery,
} from "../../../src/exchange/cryptocom/envelope.js";
import {
  hmacHex,
  type Params,
  sign,
  stringToSign,
  UnsignableParamError,
} from "../../../src/exchange/cryptocom/signing.js";
import { dec } from "../../../src/util/decimal.js";

const base = { method: "private/create-order", id: 7, nonce: 1_700_000_000_123, apiKey: "key-1" };

/** What a server does: parse the exact bytes, recompute the signature from the parsed body. */
function serverSignature(body: string, secret: string): { sent: string; computed: string } {
  const parsed = JSON.parse(body) as {
    id: number;
    method: string;
    api_key: string;
    params: Params;
    nonce: number;
    sig: string;
  };
  const computed = sign(
    {
      method: parsed.method,
      id: parsed.id,
      apiKey: parsed.api_key,
      params: parsed.params,
      nonce: parsed.nonce,
    },
    secret,
  );
  return { sent: parsed.sig, computed };
}

describe("buildPrivateEnvelope", () => {
  it("signs exactly what it sends, for every known-answer vector (src/diagnostics/signing-vectors.ts)", () => {
    // the client's own ids are non-negative; the one vector with id -1 (an official sample) is
    // covered by test/exchange/signing.test.ts
    const usable = VECTORS.filter((v) => Number(v.id) >= 0);
    expect(usable.length).toBeGreaterThanOrEqual(7);
    for (const v of usable) {
      const env = buildPrivateEnvelope(
        {
          method: v.method,
          id: Number(v.id),
          nonce: Number(v.nonce),
          apiKey: v.api_key,
          params: v.params as Params,
        },
        v.secret,
      );
      expect(env.sig, v.name).toBe(v.sig);
      const body = JSON.parse(env.body);
      expect(body, v.name).toMatchObject({ method: v.method, api_key: v.api_key, sig: v.sig });
      expect(String(body.id)).toBe(String(v.id));
      expect(String(body.nonce)).toBe(String(v.nonce));
      expect(env.stringToSignLength, v.name).toBe(v.string_to_sign.length);
      expect(env.paramStringLength, v.name).toBe(
        v.string_to_sign.length - `${v.method}${v.id}${v.api_key}${v.nonce}`.length,
      );
    }
  });

  it("a prepared HMAC signs every known-answer vector as the secret does, prepared or keyed on the spot", () => {
    for (const v of VECTORS.filter((x) => Number(x.id) >= 0)) {
      const input = {
        method: v.method,
        id: Number(v.id),
        nonce: Number(v.nonce),
        apiKey: v.api_key,
        params: v.params as Params,
      };
      const mac = new PreparedHmac(v.secret);
      expect(buildPrivateEnvelope(input, mac).sig, v.name).toBe(v.sig); // nothing prepared yet
      mac.prepare();
      mac.prepare(); // a second prepare keeps the one ready
      expect(buildPrivateEnvelope(input, mac), v.name).toEqual(buildPrivateEnvelope(input, v.secret));
      expect(buildPrivateEnvelope(input, mac).sig, v.name).toBe(v.sig); // used up: keyed again
    }
  });

  it("a prepared HMAC equals hmacHex for any secret and payload (long, empty, non-ASCII)", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "binary", maxLength: 200 }),
        fc.string({ unit: "binary", maxLength: 300 }),
        (secret, payload) => {
          const mac = new PreparedHmac(secret);
          mac.prepare();
          expect(mac.sign(payload)).toBe(hmacHex(secret, payload));
          expect(mac.sign(payload)).toBe(hmacHex(secret, payload));
        },
      ),
    );
  });

  it("sends {} for absent params, never []", () => {
    const env = buildPrivateEnvelope({ ...base, method: "private/user-balance" }, "s");
    expect(JSON.parse(env.body).params).toEqual({});
    expect(env.paramStringLength).toBe(0);
  });

  it("refuses fractional numbers, bigints, Dec and other objects before anything is built", () => {
    expect(() => buildPrivateEnvelope({ ...base, params: { price: 0.1 } }, "s")).toThrow(
      UnsignableParamError,
    );
    expect(() => buildPrivateEnvelope({ ...base, params: { list: [{ q: 1.5 }] } }, "s")).toThrow(
      /list\[0\]\.q/,
    );
    expect(() => buildPrivateEnvelope({ ...base, params: { q: 10n } }, "s")).toThrow(UnsignableParamError);
    expect(() =>
      buildPrivateEnvelope({ ...base, params: { price: dec("1.5") as unknown as string } }, "s"),
    ).toThrow(/not a plain object/);
    expect(() =>
      buildPrivateEnvelope({ ...base, params: { when: new Date() as unknown as string } }, "s"),
    ).toThrow(UnsignableParamError);
    expect(() => buildPrivateEnvelope({ ...base, params: { n: Number.NaN } }, "s")).toThrow(
      UnsignableParamError,
    );
  });

  it("refuses non-integer ids and nonces", () => {
    expect(() => buildPrivateEnvelope({ ...base, nonce: 1.5 }, "s")).toThrow(RangeError);
    expect(() => buildPrivateEnvelope({ ...base, id: -1 }, "s")).toThrow(RangeError);
  });

  it("public queries take scalars only", () => {
    expect(publicQuery({ instrument_name: "BTC_USD", depth: 10, x: undefined })).toEqual({
      instrument_name: "BTC_USD",
      depth: 10,
    });
    expect(() => publicQuery({ depth: 0.5 })).toThrow(UnsignableParamError);
    expect(() => publicQuery({ a: ["x"] })).toThrow(UnsignableParamError);
  });

  it("proxy bodies are {method, params}", () => {
    expect(JSON.parse(buildProxyBody("private/user-balance", undefined))).toEqual({
      method: "private/user-balance",
      params: {},
    });
    expect(() => assertSendableParams({ a: 0.25 })).toThrow(UnsignableParamError);
  });
});

// Arbitrary nested params: strings (full unicode), safe integers, null, booleans, arrays and
// objects with unicode keys, nested to any depth fast-check picks.
const key = fc.string({ unit: "binary", minLength: 0, maxLength: 8 });
const scalar = fc.oneof(
  fc.string({ unit: "binary", maxLength: 12 }),
  fc.maxSafeInteger(),
  fc.integer({ min: -1000, max: 1000 }),
  fc.constant(null),
  fc.boolean(),
);
const { value: paramValue } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    scalar,
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(key, tie("value"), { maxKeys: 5 }),
  ),
}));
const params = fc.dictionary(key, paramValue, { maxKeys: 6 }) as fc.Arbitrary<Params>;

describe("property: the server's recomputed signature equals the one sent", () => {
  it("for arbitrary nested params (parse the exact bytes, recompute with signing.ts)", () => {
    fc.assert(
      fc.property(
        params,
        fc.string({ minLength: 1, maxLength: 20 }),
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.nat({ max: 2 ** 40 }),
        (p, apiKey, secret, nonce) => {
          const env = buildPrivateEnvelope({ method: "private/x", id: 42, nonce, apiKey, params: p }, secret);
          const bytes = Buffer.from(env.body, "utf8");
          const { sent, computed } = serverSignature(bytes.toString("utf8"), secret);
          expect(computed).toBe(sent);
          // and the string the server rebuilds is the one we signed (length-wise; the text is never exposed)
          const parsed = JSON.parse(bytes.toString("utf8"));
          expect(
            stringToSign({
              method: parsed.method,
              id: parsed.id,
              apiKey: parsed.api_key,
              params: parsed.params,
              nonce: parsed.nonce,
            }).length,
          ).toBe(env.stringToSignLength);
        },
      ),
      { numRuns: 500 },
    );
  });
});
