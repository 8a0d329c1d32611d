import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  assertSendableParams,
  buildPrivateEnvelope,
  buildProxyBody,
  publicQuery,
} from "../../../src/exchange/cryptocom/envelope.js";
import {
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
  it("signs exactly what it sends (known vector 4 of the reference)", () => {
    const env = buildPrivateEnvelope(
      {
        method: "private/create-order",
        id: 1,
        nonce: 1610905028000,
        apiKey: "token",
        params: {
          instrument_name: "BTC_USD",
          side: "BUY",
          type: "LIMIT",
          price: "50000.5",
          quantity: "0.0001",
          client_oid: "c1",
          exec_inst: ["POST_ONLY"],
          time_in_force: "GOOD_TILL_CANCEL",
        },
      },
      "secretKey",
    );
    expect(env.sig).toBe("3bff31daf6298de6305ceb96aa65e880adc5d98d7969556cb6e5715424a53909");
    const body = JSON.parse(env.body);
    expect(body).toMatchObject({
      id: 1,
      method: "private/create-order",
      api_key: "token",
      nonce: 1610905028000,
    });
    expect(body.sig).toBe(env.sig);
    expect(env.stringToSignLength).toBe(
      "private/create-order1tokenclient_oidc1exec_instPOST_ONLYinstrument_nameBTC_USDprice50000.5quantity0.0001sideBUYtime_in_forceGOOD_TILL_CANCELtypeLIMIT1610905028000"
        .length,
    );
    expect(env.paramStringLength).toBe(
      env.stringToSignLength - "private/create-order1token1610905028000".length,
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
