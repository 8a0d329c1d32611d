/** One emulator per test file, on 127.0.0.1:0, plus clients pointed at it. */
import { afterAll, beforeAll } from "vitest";
import {
  type EmulatorConfigInput,
  type EmulatorHandle,
  startEmulator,
} from "../../../../src/emulator/index.js";
import { CryptoComClient, type CryptoComClientOptions } from "../../../../src/exchange/cryptocom/client.js";

export const DEMO = { apiKey: "demo-key", apiSecret: "demo-secret" } as const;

/** Fast retries and probes so fault tests stay quick on a loaded machine. */
export const FAST: Partial<CryptoComClientOptions> = {
  retry: { baseDelayMs: 5, maxDelayMs: 40 },
  rateLimit: { backoffMs: 30 },
  probeDelaysMs: [0, 20, 50],
};

export interface EmulatorFixture {
  readonly emu: EmulatorHandle;
  client(opts?: Partial<CryptoComClientOptions>): CryptoComClient;
}

export function useEmulator(config: EmulatorConfigInput = {}): EmulatorFixture {
  let emu: EmulatorHandle | undefined;
  const clients: CryptoComClient[] = [];
  beforeAll(async () => {
    emu = await startEmulator({ market_tick_ms: 0, ...config }, { host: "127.0.0.1", port: 0 });
  });
  afterAll(async () => {
    for (const c of clients) await c.close();
    await emu?.close();
  });
  return {
    get emu() {
      if (!emu) throw new Error("emulator not started");
      return emu;
    },
    client(opts = {}) {
      if (!emu) throw new Error("emulator not started");
      const c = new CryptoComClient({ baseUrl: emu.baseUrl, ...DEMO, ...FAST, ...opts });
      clients.push(c);
      return c;
    },
  };
}
