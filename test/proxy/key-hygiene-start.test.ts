/**
 * `checkWithdrawKeyAtStart` (what `atp start` runs once its client exists) over loopback: directly
 * against the emulator (which models the withdraw permission on private/get-deposit-address) and in
 * proxy mode through the signing proxy's /health (the proxy never signs that method for a client).
 * Warns for a withdraw-capable key, refuses it with `refuse`, and a refused deposit-address read
 * is not reported as an exchange failure.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkWithdrawKeyAtStart } from "../../src/app/key-hygiene.js";
import { type EmulatorHandle, startEmulator } from "../../src/emulator/index.js";
import { CryptoComClient, type ExchangeCallOutcome } from "../../src/exchange/cryptocom/client.js";
import {
  capturedLogger,
  type LoggedProxy,
  PROXY_KEY,
  PROXY_SECRET,
  PROXY_TOKEN,
  startLoggedProxy,
} from "./helpers.js";

let emu: EmulatorHandle;
const open: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  emu = await startEmulator({ market_tick_ms: 0, rate_limits: false, keys: [] });
});
afterAll(async () => {
  for (const x of open.splice(0)) await x.close();
  await emu?.close();
});

function withKey(permissions: ("read" | "trade" | "withdraw")[], whitelist?: string[]) {
  emu.admin.setKeys([
    {
      api_key: PROXY_KEY,
      secret: PROXY_SECRET,
      account: "main",
      permissions,
      ...(whitelist ? { ip_whitelist: whitelist } : {}),
    },
  ]);
}

describe("direct", () => {
  it("a withdraw-capable key: warned, and refused with refuse", async () => {
    withKey(["read", "trade", "withdraw"]);
    const log = capturedLogger();
    const client = new CryptoComClient({ baseUrl: emu.baseUrl, apiKey: PROXY_KEY, apiSecret: PROXY_SECRET });
    open.push(client);
    const warned = await checkWithdrawKeyAtStart(client, {
      proxy: undefined,
      refuse: false,
      log: log.logger,
    });
    expect(warned).toMatchObject({ keyCanWithdraw: true, via: "direct", liveAllowed: true });
    const refused = await checkWithdrawKeyAtStart(client, {
      proxy: undefined,
      refuse: true,
      log: log.logger,
    });
    expect(refused).toMatchObject({ keyCanWithdraw: true, liveAllowed: false });
    const records = log.lines.map((l) => JSON.parse(l) as { level: number; msg: string });
    expect(records.map((r) => r.level)).toEqual([40, 50]);
    expect(records[0]!.msg).toMatch(/^key hygiene: the API key can withdraw .*withdrawal off/);
    expect(records[1]!.msg).toMatch(/^key hygiene: live trading refused \(ATP_REFUSE_WITHDRAW_KEYS=true/);
    expect(log.lines.join("\n")).not.toContain(PROXY_SECRET);
  });

  it("a Read + Trade key: cannot withdraw; the refused read is neither reported to onCall nor logged as an auth refusal", async () => {
    withKey(["read", "trade"]);
    const log = capturedLogger();
    const calls: ExchangeCallOutcome[] = [];
    const client = new CryptoComClient({
      baseUrl: emu.baseUrl,
      apiKey: PROXY_KEY,
      apiSecret: PROXY_SECRET,
      logger: log.logger,
      onCall: (c) => calls.push(c),
    });
    open.push(client);
    const v = await checkWithdrawKeyAtStart(client, { proxy: undefined, refuse: true, log: log.logger });
    expect(v).toMatchObject({ keyCanWithdraw: false, liveAllowed: true, reason: undefined });
    expect(calls.map((c) => [c.method, c.ok])).toEqual([["private/user-balance", true]]);
    expect(log.lines.some((l) => l.includes("refused: 40101"))).toBe(false);
  });

  it("a key the exchange refuses altogether stays unknown (never mistaken for a safe one) and blocks nothing", async () => {
    withKey(["read", "trade", "withdraw"], ["203.0.113.9"]);
    const client = new CryptoComClient({ baseUrl: emu.baseUrl, apiKey: PROXY_KEY, apiSecret: PROXY_SECRET });
    open.push(client);
    const v = await checkWithdrawKeyAtStart(client, {
      proxy: undefined,
      refuse: true,
      log: capturedLogger().logger,
    });
    expect(v).toMatchObject({ keyCanWithdraw: null, liveAllowed: true });
  });
});

describe("proxy mode: the proxy's key, from its /health", () => {
  it("warns about the signing proxy's key and refuses it with refuse", async () => {
    withKey(["read", "trade", "withdraw"], ["127.0.0.2"]);
    const proxy: LoggedProxy = await startLoggedProxy({
      upstreamBaseUrl: emu.baseUrl,
      localAddress: "127.0.0.2",
      outboundIpUrl: emu.ipEchoUrl,
    });
    open.push(proxy);
    const client = new CryptoComClient({
      baseUrl: emu.baseUrl,
      proxy: { url: proxy.url, token: PROXY_TOKEN },
    });
    open.push(client);
    const log = capturedLogger();
    const v = await checkWithdrawKeyAtStart(client, {
      proxy: { url: proxy.url },
      refuse: true,
      log: log.logger,
    });
    expect(v).toMatchObject({ keyCanWithdraw: true, via: "proxy", liveAllowed: false });
    expect(v.reason).toMatch(/^the signing proxy's API key can withdraw/);
    expect(log.lines.join("\n")).not.toContain(PROXY_TOKEN);
  });
});
