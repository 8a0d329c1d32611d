/**
 * `npm start` twice in the same directory (a real process each time, the demo): the store under
 * ./data/demo outlives the first run's in-process emulator. Before, the second run met the first
 * run's open orders on an exchange that no longer had them (a reconciliation warning every pass,
 * positions "protected" by legs that did not exist) and the new emulator handed out the same order
 * ids again, so storing its orders failed on `orders.exchange_order_id` (UNIQUE): orders lost.
 * Now the second run carries the open positions over (credited to the new emulator's account,
 * protected again there), closes the earlier emulator's orders as DEMO_RESTART, and its order ids
 * start above every id an earlier emulator gave.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/open.js";
import { bundleCli, type CliBundle } from "../helpers/cli-bundle.js";
import { quietLogger } from "../store/helpers.js";
import { freePort, getJson, StartedAtp, stopAllPlatform, until } from "./proc.js";

let bundle: CliBundle;
let dir: string;

beforeAll(async () => {
  bundle = await bundleCli({ packages: "external" });
  dir = mkdtempSync(join(tmpdir(), "atp-demo-restart-"));
});

afterAll(async () => {
  await stopAllPlatform();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Leg {
  id: string;
  exchange_order_id: string | null;
  list_id: string | null;
  status: string;
}
interface State {
  positions: { symbol: string; lot_id?: string; protection: string }[];
  open_orders: Leg[];
}

/** The DEMO work the store holds after a run: open lots and orders not final (the next start's to restart). */
async function openDemoWork(): Promise<{ lots: number; orders: number }> {
  const store = await openStore({ dataDir: join(dir, "data", "demo"), logger: quietLogger(), now: Date.now });
  try {
    const lots = (await store.lots.listOpen({ mode: "DEMO" })).length;
    const orders = (await store.orders.listNonFinal({ mode: "DEMO" })).length;
    return { lots, orders };
  } finally {
    await store.close();
  }
}

const state = async (api: string) => (await getJson(`${api}/api/dashboard/state`)).body as State;

async function start(): Promise<{ atp: StartedAtp; api: string }> {
  const port = await freePort();
  const atp = new StartedAtp(bundle.spawn(["start", "--reconcile-s", "1"], { PORT: String(port) }, dir));
  await atp.line(/^atp start: ready \(/, 20_000);
  return { atp, api: `http://127.0.0.1:${port}` };
}

/** A protected position whose legs the dashboard lists with their exchange ids. */
async function protectedPosition(api: string): Promise<{ symbol: string; legs: Leg[] }> {
  return until("a protected position with its legs confirmed", 60_000, async () => {
    const s = await state(api);
    const p = s.positions.find((x) => x.protection === "PROTECTED");
    const legs = s.open_orders.filter((o) => o.list_id !== null && o.exchange_order_id !== null);
    return p && legs.length >= 2 ? { symbol: p.symbol, legs } : undefined;
  });
}

describe("the demo started again on its kept store", () => {
  it("carries its open positions over to the new emulator, protected there, and loses no order", async () => {
    // a first run that leaves an open, protected position behind (the market is live: one that
    // closed by its TP or SL while the run stopped is simply not carried, so run again until one is)
    let before: { symbol: string; legs: Leg[] } | undefined;
    let left = { lots: 0, orders: 0 };
    for (let run = 0; run < 3 && left.lots === 0; run++) {
      const first = await start();
      before = await protectedPosition(first.api);
      first.atp.child.kill("SIGTERM");
      expect((await first.atp.exited(15_000)).code).toBe(0);
      left = await openDemoWork();
    }
    expect(left.lots, "a first run left an open position").toBeGreaterThan(0);

    const second = await start();
    const kept = await second.atp.line(/^atp start: demo store .* kept: /, 1_000);
    expect(kept).toContain(
      `kept: ${left.lots} open position(s) carried over to the new emulator (protected again), ${left.orders} order(s) of the earlier one closed (DEMO_RESTART)`,
    );
    const oldIds = new Set(before!.legs.map((l) => l.exchange_order_id));
    const oldMax = [...oldIds].reduce((m, id) => (BigInt(id!) > m ? BigInt(id!) : m), 0n);
    // the position of the first run, protected again on the new emulator by new legs
    await until("the carried position protected by legs of the new emulator", 30_000, async () => {
      const s = await state(second.api);
      const legs = s.open_orders.filter((o) => o.list_id !== null && o.exchange_order_id !== null);
      return s.positions.some((p) => p.symbol === before!.symbol && p.protection === "PROTECTED") &&
        legs.some((l) => BigInt(l.exchange_order_id!) > oldMax)
        ? true
        : undefined;
    });
    const after = await state(second.api);
    for (const o of after.open_orders) expect(oldIds.has(o.exchange_order_id)).toBe(false);
    // a few reconciliation passes (1 s each) with nothing the exchange does not know
    await new Promise((r) => setTimeout(r, 2_500));
    expect(second.atp.stderr).not.toMatch(/UNIQUE constraint failed/);
    expect(second.atp.stderr).not.toMatch(/a local open order the exchange neither lists nor finds/);
    second.atp.child.kill("SIGTERM");
    expect((await second.atp.exited(15_000)).code).toBe(0);
  }, 120_000);
});
