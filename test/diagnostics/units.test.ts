/** Pure parts of the doctor: catalogue, ranking, environment, credentials, self-test, order check. */

import { describe, expect, it } from "vitest";
import { CAUSES, PRECEDENCE } from "../../src/diagnostics/causes.js";
import { assessCredentials, implausibility, isPlaceholder } from "../../src/diagnostics/credentials.js";
import { classifyBaseUrl } from "../../src/diagnostics/environment.js";
import { CAUSE_IDS, type Cause, CHECK_IDS } from "../../src/diagnostics/index.js";
import {
  assessOrder,
  normaliseOrder,
  OrderInputError,
  suggestInstruments,
} from "../../src/diagnostics/order-check.js";
import { rankCauses } from "../../src/diagnostics/rank.js";
import {
  checkRoundTrip,
  checkVectors,
  javaPlain,
  numberHazards,
  pythonFloatRepr,
  runSelfTest,
} from "../../src/diagnostics/self-test.js";
import { SIGNING_VECTORS } from "../../src/diagnostics/signing-vectors.js";
import { renderTroubleshootingDoc } from "../../src/diagnostics/troubleshooting-doc.js";
import { JsonNumberText } from "../../src/domain/json-text.js";
import type { Instrument } from "../../src/exchange/cryptocom/instruments.js";
import { dec } from "../../src/util/decimal.js";
import { btcUsd } from "../helpers/instruments.js";
import { referenceFile, skipUnlessPresent } from "../helpers/reference-material.js";
import { configFrom } from "./helpers.js";

const PUBLISHED_VECTORS = referenceFile("vectors/cryptocom-signing.json");

describe("cause catalogue", () => {
  it("has exactly the issue's 16 ids, each documented once and placed in the precedence", () => {
    expect(CAUSE_IDS).toHaveLength(16);
    expect(CAUSES.map((c) => c.id).sort()).toEqual([...CAUSE_IDS].sort());
    expect([...PRECEDENCE].sort()).toEqual([...CAUSE_IDS].sort());
  });
  it("docs/troubleshooting.md names every cause id and the key codes", () => {
    const doc = renderTroubleshootingDoc();
    for (const id of CAUSE_IDS) expect(doc).toContain(`### ${id}`);
    expect(doc).toMatch(
      /\| 40103 \| IP_ILLEGAL \| ip_not_whitelisted \| `ip_not_whitelisted`, `proxy_upstream_rejected` \|/,
    );
    expect(doc).toMatch(/\| 213 \| INVALID_ORDERQTY \| invalid_order \| `order_rejected` \|/);
  });
  it("check ids follow the issue's checklist order", () => {
    expect(CHECK_IDS[0]).toBe("config");
    expect(CHECK_IDS.at(-1)).toBe("order");
  });
});

describe("ranking", () => {
  const c = (id: Cause["id"], confidence: Cause["confidence"], ev = "e"): Cause => ({
    id,
    confidence,
    summary: id,
    evidence: [ev],
    fix: ["f"],
  });
  it("confirmed before likely before possible, then the request path order", () => {
    const ranked = rankCauses([
      c("order_rejected", "confirmed"),
      c("clock_skew", "confirmed"),
      c("key_invalid_or_revoked", "likely"),
      c("ip_not_whitelisted", "confirmed"),
      c("rate_limited", "possible"),
    ]);
    expect(ranked.map((x) => x.id)).toEqual([
      "ip_not_whitelisted",
      "clock_skew",
      "order_rejected",
      "key_invalid_or_revoked",
      "rate_limited",
    ]);
  });
  it("merges the same id: the stronger confidence wins, evidence is united", () => {
    const ranked = rankCauses([c("clock_skew", "likely", "a"), c("clock_skew", "confirmed", "b")]);
    expect(ranked).toHaveLength(1);
    expect(ranked[0]!.confidence).toBe("confirmed");
    expect(ranked[0]!.evidence).toEqual(["b", "a"]);
  });
});

describe("environment of a base URL", () => {
  it.each([
    ["https://api.crypto.com/exchange/v1", "production"],
    ["https://uat-api.3ona.co/exchange/v1", "uat"],
    ["http://uat-api.3ona.co:9999/exchange/v1", "uat"],
    ["https://api.crypto.com/v2", "legacy"],
    ["https://api.crypto.com/v1", "legacy"],
    ["https://deriv-api.crypto.com/v1", "legacy"],
    ["http://127.0.0.1:8100/exchange/v1", "custom"],
    ["https://mirror.example.com/exchange/v1", "custom"],
  ])("%s is %s", (url, kind) => {
    expect(classifyBaseUrl(url).kind).toBe(kind);
  });
  it("knows loopback and official hosts (the swapped experiment's guard)", () => {
    expect(classifyBaseUrl("http://127.0.0.1:1/exchange/v1").loopback).toBe(true);
    expect(classifyBaseUrl("http://localhost:1/exchange/v1").loopback).toBe(true);
    expect(classifyBaseUrl("https://api.crypto.com/exchange/v1").official).toBe(true);
    expect(classifyBaseUrl("https://mirror.example.com/exchange/v1").official).toBe(false);
  });
});

describe("credential assessment (never returns values in text)", () => {
  it("placeholders count as missing", () => {
    expect(isPlaceholder("your_api_key")).toBe(true);
    expect(isPlaceholder("Xq7LmN2pR8sT4vW6")).toBe(false);
    const a = assessCredentials(
      configFrom({
        EXCHANGE_CUSTOM_API_KEY: "your_api_key",
        EXCHANGE_CUSTOM_API_SECRET: "S3cr3tS3cr3tS3cr3t",
      }),
    );
    expect(a.missing.map((m) => m.variable)).toEqual(["EXCHANGE_CUSTOM_API_KEY"]);
    expect(a.usable).toBe(false);
  });
  it("flags implausible length and characters", () => {
    expect(implausibility("abc")).toMatch(/only 3 characters/);
    expect(implausibility("abcdefgh€ijk")).toMatch(/U\+20AC/);
    expect(implausibility("Xq7LmN2pR8sT4vW6yZ0bC")).toBeUndefined();
  });
  it("a key equal to its secret is malformed", () => {
    const a = assessCredentials(
      configFrom({
        EXCHANGE_CUSTOM_API_KEY: "SameValue123456",
        EXCHANGE_CUSTOM_API_SECRET: "SameValue123456",
      }),
    );
    expect(a.malformed[0]!.problem).toMatch(/same value/);
    expect(JSON.stringify(a.malformed)).not.toContain("SameValue123456");
  });
});

describe("credential findings are read by kind, not by wording", () => {
  it("a cleaned value and half a pair are classified whatever the loader's text says", () => {
    const report = configFrom({ EXCHANGE_CUSTOM_API_KEY: "Xq7LmN2pR8sT4vW6yZ0b\r" });
    const reworded = {
      ...report,
      errors: report.errors.map((e) => ({ ...e, problem: "reworded for humans" })),
      warnings: report.warnings.map((w) => ({ ...w, problem: "reworded for humans" })),
    };
    const a = assessCredentials(reworded);
    expect(a.cleaned.map((c) => c.variable)).toEqual(["EXCHANGE_CUSTOM_API_KEY"]);
    expect(a.missing.map((m) => m.variable)).toEqual(["EXCHANGE_CUSTOM_API_SECRET"]);
    expect(a.malformed).toEqual([]); // the missing half is not a malformed value
  });
});

describe("signing self-test", () => {
  it("the embedded vectors all pass", () => {
    expect(SIGNING_VECTORS.length).toBeGreaterThanOrEqual(8);
    expect(runSelfTest()).toEqual({
      failedVectors: [],
      vectorCount: SIGNING_VECTORS.length,
      roundTripProblem: undefined,
    });
  });
  it("the embedded vectors are the published file, when it is beside the checkout", ({ skip }) => {
    const published = JSON.parse(skipUnlessPresent(PUBLISHED_VECTORS, skip));
    expect(SIGNING_VECTORS).toEqual(published);
  });
  it("a wrong vector is detected (the self-test can fail)", () => {
    const bad = { ...SIGNING_VECTORS[0]!, name: "tampered", sig: "00".repeat(32) };
    expect(checkVectors([bad])).toEqual(["tampered"]);
  });
  it("our serialisation round-trips", () => {
    expect(checkRoundTrip()).toBeUndefined();
  });
  it("number hazards: how servers re-serialise numbers", () => {
    expect(pythonFloatRepr(1e-5)).toBe("1e-05");
    expect(pythonFloatRepr(50000)).toBe("50000.0");
    expect(pythonFloatRepr(0.00011119)).toBe("0.00011119");
    expect(javaPlain("8000.000")).toBe("8000");
    const h = numberHazards({
      a: new JsonNumberText("8000.000"),
      b: 5,
      c: "0.1",
      d: [new JsonNumberText("0.00011119")],
    });
    expect(h.map((x) => x.path)).toEqual(["params.a", "params.d[0]"]);
    expect(h[0]!.differing.length).toBeGreaterThan(0);
    expect(h[1]!.differing).toEqual([]); // round-trips everywhere: still a hazard, "likely"
  });
});

const BTC_USD: Instrument = btcUsd({ minNotional: undefined });

describe("order check (pure)", () => {
  it("the seed: 0.00011119 → 213, atp would send 0.00011", () => {
    const order = normaliseOrder({
      symbol: "BTC_USD",
      side: "sell",
      amount: "10.00",
      quantity: "0.00011119",
    });
    const a = assessOrder({ order, instruments: [BTC_USD] });
    expect(a.violations.map((v) => v.code)).toEqual([213]);
    expect(a.corrected?.quantity).toBe("0.00011");
  });
  it("sizes an order given only by amount, as atp would ($10.00 at 89,936 → 0.00011)", () => {
    const order = normaliseOrder({ instrument_name: "BTC_USD", side: "SELL", amount: "10.00" });
    const a = assessOrder({ order, instruments: [BTC_USD], marketPrice: dec("89936") });
    expect(a.violations).toEqual([]);
    expect(a.corrected?.quantity).toBe("0.00011");
  });
  it("suggests exact instrument names", () => {
    expect(suggestInstruments("btc-usd", [BTC_USD])).toEqual(["BTC_USD"]);
    expect(suggestInstruments("BTC", [BTC_USD])).toEqual(["BTC_USD"]);
  });
  it("rejects unusable input naming the field", () => {
    expect(() => normaliseOrder({ side: "SELL", quantity: "1" })).toThrow(OrderInputError);
    expect(() => normaliseOrder({ instrument_name: "BTC_USD", side: "HOLD", quantity: "1" })).toThrow(
      /BUY or SELL/,
    );
    expect(() => normaliseOrder({ instrument_name: "BTC_USD", side: "BUY" })).toThrow(/quantity/);
  });
  it("without instrument rules nothing is claimed", () => {
    const order = normaliseOrder({ instrument_name: "BTC_USD", side: "SELL", quantity: "0.00011119" });
    const a = assessOrder({ order, instruments: undefined });
    expect(a.rulesKnown).toBe(false);
    expect(a.violations).toEqual([]);
  });
});
