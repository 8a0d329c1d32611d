/**
 * Notifier test fixtures: a SQLite (or PostgreSQL) store on the test's ManualTime, the outbox
 * subscriber registered, a fake Bot API server and a sender over it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createBotApi } from "../../src/notify/bot-api.js";
import { subscribeOutbox } from "../../src/notify/outbox.js";
import { OutboxSender, type SenderOptions } from "../../src/notify/sender.js";
import { openStore } from "../../src/store/open.js";
import type { Store, StoreDialect } from "../../src/store/types.js";
import { ManualTime } from "../../src/util/clock.js";
import { type FakeTelegram, startFakeTelegram } from "../helpers/fake-telegram.js";
import { createPgSchema, quietLogger } from "../store/helpers.js";

export interface NotifyFixture {
  time: ManualTime;
  store: Store;
  fake: FakeTelegram;
  dataDir: string;
  sender(o?: Partial<SenderOptions>): OutboxSender;
  dispose(): Promise<void>;
}

export async function notifyFixture(
  o: {
    chats?: string[];
    dialect?: StoreDialect;
    demo?: boolean;
    envLiveTrading?: boolean;
    dataDir?: string;
  } = {},
): Promise<NotifyFixture> {
  const time = new ManualTime();
  const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), "atp-notify-"));
  const pg = o.dialect === "postgres" ? await createPgSchema() : undefined;
  const store = await openStore({ url: pg?.url, dataDir, logger: quietLogger(), now: () => time.now() });
  const chats = o.chats ?? ["42"];
  const fake = await startFakeTelegram({ chats });
  const mode = { demo: o.demo ?? false, envLiveTrading: o.envLiveTrading ?? false };
  subscribeOutbox(store, { chatIds: chats, ...mode, logger: quietLogger() });
  const senders: OutboxSender[] = [];
  return {
    time,
    store,
    fake,
    dataDir,
    sender(extra = {}) {
      const s = new OutboxSender({
        store,
        api: createBotApi(fake.token, fake.apiRoot, 5),
        token: fake.token,
        time,
        logger: quietLogger(),
        isLeader: () => true,
        mode,
        ...extra,
      });
      senders.push(s);
      return s;
    },
    async dispose() {
      for (const s of senders) await s.stop();
      await fake.close();
      await store.close();
      await pg?.drop();
      if (!o.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A `position.closed` event of lot `lot<n>` (dry run, take-profit) with realised P&L `pnl`. */
export const closedEvent = (n: number, pnl = "1.5") => ({
  kind: "position.closed",
  symbol: "BTC_USD",
  payload: {
    mode: "DRY_RUN",
    lotId: `lot${n}`,
    exitReason: "TAKE_PROFIT",
    soldQuantity: "0.001",
    proceeds: "51",
    fees: "0.1",
    realisedPnl: pnl,
  },
});
