/**
 * A sender in its own process (bundled by sigkill.test.ts): opens the SQLite store in
 * ATP_DATA_DIR and delivers the outbox to TELEGRAM_API_ROOT until it is killed.
 */
import { createLogger } from "../../src/log/logger.js";
import { createBotApi } from "../../src/notify/bot-api.js";
import { OutboxSender } from "../../src/notify/sender.js";
import { openStore } from "../../src/store/open.js";
import { systemTime } from "../../src/util/clock.js";

const env = (name: string) => process.env[name] ?? "";
const logger = createLogger({ level: "silent", pretty: false });
const store = await openStore({ dataDir: env("ATP_DATA_DIR"), logger, now: () => systemTime.now() });
const sender = new OutboxSender({
  store,
  api: createBotApi(env("TELEGRAM_BOT_TOKEN"), env("TELEGRAM_API_ROOT"), 60),
  token: env("TELEGRAM_BOT_TOKEN"),
  time: systemTime,
  logger,
  isLeader: () => true,
  mode: { demo: false, envLiveTrading: false },
  pollMs: 20,
});
sender.start();
process.stdout.write("ready\n");
setInterval(() => {}, 1000);
