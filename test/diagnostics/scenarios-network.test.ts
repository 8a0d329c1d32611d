/**
 * Doctor scenarios for the network path and the exchange's own state: refused connections, DNS
 * failures, an unusable local address binding, maintenance, server errors, rate limits, and the
 * run's time bound when endpoints hang (default timeouts: the whole run stays under 10 s).
 */
import { createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type EmulatorHandle, startEmulator } from "../../src/emulator/index.js";
import {
  check,
  configFrom,
  evidenceText,
  expectNoSecrets,
  expectWithinBudget,
  hostsLookup,
  runDoctor,
} from "./helpers.js";

let emu: EmulatorHandle;
let n = 0;
let key: string;
let secret: string;
let env: Record<string, string>;

beforeAll(async () => {
  // Scenarios run back to back far faster than any user would run the doctor, and the emulator's
  // public limit (100/s per IP) spans scenarios: limits off here. The doctor's own pacing and call
  // budget are asserted for every run; scenarios-proxy keeps the emulator's limits on.
  emu = await startEmulator({ market_tick_ms: 0, keys: [], rate_limits: false });
});
afterAll(async () => {
  await emu?.close();
});
beforeEach(() => {
  n += 1;
  key = `nk${n}Rt5Yu7Io9Pa1Sd3Fg5Hj7`;
  secret = `ns${n}Kl9Zx1Cv3Bn5Mq7Wr9Ty1Ui3`;
  emu.admin.setKeys([{ api_key: key, secret, account: "main", ip_whitelist: ["127.0.0.1"] }]);
  emu.admin.clearFaults();
  env = {
    EXCHANGE_CUSTOM_API_KEY: key,
    EXCHANGE_CUSTOM_API_SECRET: secret,
    EXCHANGE_CUSTOM_BASE_URL: emu.baseUrl,
    OUTBOUND_IP_URL: emu.ipEchoUrl,
  };
});

async function listen(onSocket: (s: Socket) => void): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const srv: Server = createServer((s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
    onSocket(s);
  });
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", () => r()));
  const port = (srv.address() as { port: number }).port;
  return {
    port,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        srv.close(() => r());
      }),
  };
}

async function closedPort(): Promise<number> {
  const l = await listen(() => undefined);
  await l.close();
  return l.port;
}

describe("network_unreachable", () => {
  it("TCP: connection refused", async () => {
    const port = await closedPort();
    const run = await runDoctor({
      config: configFrom({ ...env, EXCHANGE_CUSTOM_BASE_URL: `http://127.0.0.1:${port}/exchange/v1` }),
    });
    const c = run.report.causes[0]!;
    expect(c.id).toBe("network_unreachable");
    expect(c.confidence).toBe("confirmed");
    expect(c.evidence.join("\n")).toMatch(/TCP: connection to 127\.0\.0\.1:\d+ refused/);
    expect(check(run.report, "reachability").status).toBe("fail");
    expect(run.report.causes).toHaveLength(1); // nothing else is claimed without evidence
    expectNoSecrets(run, [key, secret]);
  });

  it("DNS: the host does not resolve", async () => {
    const run = await runDoctor({
      config: configFrom({ ...env, EXCHANGE_CUSTOM_BASE_URL: "https://api.crypto-typo.example/exchange/v1" }),
      lookup: hostsLookup({}),
    });
    const c = run.report.causes[0]!;
    expect(c.id).toBe("network_unreachable");
    expect(c.summary).toMatch(/dns stage/);
    expect(c.evidence.join("\n")).toMatch(/ENOTFOUND/);
    expect(c.fix.join("\n")).toMatch(/getent hosts api\.crypto-typo\.example/);
    expect(check(run.report, "reachability").status).toBe("fail");
  });

  it("EXCHANGE_LOCAL_ADDRESS is not an address of this host", async () => {
    const run = await runDoctor({ config: configFrom({ ...env, EXCHANGE_LOCAL_ADDRESS: "192.0.2.44" }) });
    expect(run.report.causes[0]!.id).toBe("network_unreachable");
    expect(evidenceText(run.report, "network_unreachable")).toMatch(
      /cannot bind to local address 192\.0\.2\.44/,
    );
  });

  it("only the IP echo service is unreachable: the cause says so, the exchange checks pass", async () => {
    const port = await closedPort();
    const run = await runDoctor({
      config: configFrom({ ...env, OUTBOUND_IP_URL: `http://127.0.0.1:${port}/` }),
    });
    expect(run.report.causes.map((c) => c.id)).toEqual(["network_unreachable"]);
    expect(run.report.causes[0]!.summary).toMatch(/IP echo service/);
    expect(evidenceText(run.report, "network_unreachable")).toMatch(/the exchange itself is reachable/);
    expect(check(run.report, "signed_read").status).toBe("pass");
    expect(run.report.outbound_ip).toBeNull();
  });
});

describe("the exchange's state", () => {
  it("exchange_maintenance: 9010001 on every call", async () => {
    emu.admin.setFaults([{ kind: "error", code: 9010001, http_status: 503, methods: ["*"] }]);
    const run = await runDoctor({ config: configFrom(env) });
    expect(run.report.causes[0]!.id).toBe("exchange_maintenance");
    expect(run.report.causes[0]!.confidence).toBe("confirmed");
    expect(evidenceText(run.report, "exchange_maintenance")).toMatch(/9010001 SYSTEM_MAINTENANCE/);
    expect(run.report.causes.map((c) => c.id)).not.toContain("key_invalid_or_revoked");
  });

  it("exchange_maintenance (likely): repeated 5xx without a code", async () => {
    emu.admin.setFaults([
      { kind: "error", code: 50001, http_status: 502, raw_body: "<html>bad gateway</html>", methods: ["*"] },
    ]);
    const run = await runDoctor({ config: configFrom(env) });
    expect(run.report.causes[0]!.id).toBe("exchange_maintenance");
    expect(run.report.causes[0]!.confidence).toBe("likely");
  });

  it("exchange_maintenance: 50001 ERR_INTERNAL answered with HTTP 400 (reference §2.3) is a server error", async () => {
    emu.admin.setFaults([{ kind: "error", code: 50001, http_status: 400, methods: ["public/get-tickers"] }]);
    const run = await runDoctor({ config: configFrom(env) });
    expect(run.report.causes[0]!.id).toBe("exchange_maintenance");
    expect(run.report.causes[0]!.confidence).toBe("likely"); // every clock sample answered it
    expect(evidenceText(run.report, "exchange_maintenance")).toMatch(/50001 ERR_INTERNAL \(HTTP 400\)/);
    expect(check(run.report, "reachability").status).toBe("fail");
  });

  it("rate_limited: a bare HTTP 429 without an exchange code", async () => {
    emu.admin.setFaults([
      {
        kind: "error",
        code: 42901,
        http_status: 429,
        raw_body: "Too Many Requests",
        methods: ["private/user-balance"],
      },
    ]);
    const run = await runDoctor({ config: configFrom(env) });
    expect(run.report.causes.map((c) => [c.id, c.confidence])).toEqual([["rate_limited", "confirmed"]]);
    expect(evidenceText(run.report, "rate_limited")).toMatch(/HTTP 429 without an exchange code/);
  });

  it("rate_limited: 42901 on the signed read", async () => {
    emu.admin.setFaults([
      { kind: "error", code: 42901, http_status: 429, methods: ["private/user-balance"] },
    ]);
    const run = await runDoctor({ config: configFrom(env) });
    expect(run.report.causes[0]!.id).toBe("rate_limited");
    expect(run.report.causes[0]!.confidence).toBe("confirmed");
    expect(evidenceText(run.report, "rate_limited")).toMatch(/42901 TOO_MANY_REQUESTS/);
    expectWithinBudget(run.calls);
  });

  it("the engine's legacy 10006, not reproduced now: rate_limited (likely)", async () => {
    const run = await runDoctor({
      config: configFrom(env),
      error: { method: "private/create-order", code: 10006 },
    });
    expect(run.report.causes.map((c) => [c.id, c.confidence])).toEqual([["rate_limited", "likely"]]);
    expect(run.report.causes[0]!.summary).toMatch(/10006 TOO_MANY_REQUESTS/);
  });

  it("the engine's 42901, not reproduced now: rate_limited (likely)", async () => {
    const run = await runDoctor({
      config: configFrom(env),
      error: { method: "private/create-order", code: 42901 },
    });
    expect(run.report.causes.map((c) => [c.id, c.confidence])).toEqual([["rate_limited", "likely"]]);
  });
});

describe("time bound: the whole run stays under 10 s with the default timeouts", () => {
  it("an exchange that accepts connections and never answers", async () => {
    const hang = await listen(() => undefined);
    try {
      const run = await runDoctor({
        config: configFrom({
          ...env,
          EXCHANGE_CUSTOM_BASE_URL: `http://127.0.0.1:${hang.port}/exchange/v1`,
          OUTBOUND_IP_URL: `http://127.0.0.1:${hang.port}/ip`,
        }),
        timeouts: {}, // the defaults: 3 s per call, 8 s per run
      });
      expect(run.ms).toBeLessThan(10_000);
      const c = run.report.causes[0]!;
      expect(c.id).toBe("network_unreachable");
      expect(c.evidence.join("\n")).toMatch(/connected, but no answer within 3000 ms/);
      expect(run.report.verdict).toBe("problem");
    } finally {
      await hang.close();
    }
  });

  it("an emulator latency fault longer than the call timeout", async () => {
    emu.admin.setFaults([{ kind: "latency", ms: 5_000, methods: ["*"] }]);
    const run = await runDoctor({ config: configFrom(env), timeouts: {} });
    emu.admin.clearFaults();
    expect(run.ms).toBeLessThan(10_000);
    expect(run.report.causes[0]!.id).toBe("network_unreachable");
    expect(run.report.outbound_ip).toBe("127.0.0.1"); // the echo is not slowed down
  });
});
