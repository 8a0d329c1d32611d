/**
 * `atp order buy|sell SYMBOL [--amount-usd N] [--yes] [--json] [--wait S]`: a manual order through
 * the same pipeline, guards and services as automatic ones (src/trading), from the command line.
 *
 * Two ways it reaches the trader:
 * - No engine runs on the store: this process becomes the leader for the order's duration, runs the
 *   pipeline in process (intent → guards → sizing → placement → confirmation → protection), prints
 *   the result and gives leadership back. A filled BUY is protected on the exchange before it exits;
 *   the next `atp start` follows the position (its reconciliation adopts what happened meanwhile).
 * - An engine runs (the SQLite file is locked, or another PostgreSQL instance leads): the order goes
 *   into the store's inbox and this process waits (up to --wait) for the engine's verdict.
 *
 * Invariants:
 * - Every order has its own idempotency key (`cli:<uuid>`); nothing is placed without `--yes` or an
 *   interactive "y".
 * - The amount is a decimal string all the way (never a JS number).
 * - Exit codes: 0 placed or filled; 1 blocked, failed or no answer within --wait; 2 usage,
 *   configuration or store error.
 */
import { randomUUID } from "node:crypto";
import { createInterface } from "node:readline/promises";
import { createRuntime, type Runtime } from "../../app/runtime.js";
import { invalidConfigText, loadConfig } from "../../config/load.js";
import type { Side } from "../../domain/orders.js";
import { StoreLockedError } from "../../store/errors.js";
import type { Store } from "../../store/types.js";
import { inboxTrace } from "../../trading/inbox.js";
import type { TradeRequest } from "../../trading/requests.js";
import { Dec } from "../../util/decimal.js";
import { defineCommand, type OptionValues, option } from "../define-command.js";
import { printInboxOutcome, printTradeResult } from "./order-output.js";

const AMOUNT = /^\d{1,15}(\.\d{1,8})?$/;
const SYMBOL = /^[A-Z0-9]{1,20}_[A-Z0-9]{1,20}$/;

const options = {
  "amount-usd": option.custom(
    "quote amount to spend on a BUY (a decimal such as 25 or 12.5); default: the watchlist's amount",
    (text, name) => {
      if (!AMOUNT.test(text) || new Dec(text).isZero())
        throw new Error(`--${name} must be a positive decimal such as 25 or 12.5, not "${text}"`);
      return text;
    },
    { value: "USD" },
  ),
  yes: option.flag("place it without asking", { short: "y" }),
  json: option.flag("print the result as JSON (money as decimal strings)"),
  wait: option.int(
    "seconds to wait for a running engine's answer",
    { min: 1, max: 600, unit: "seconds" },
    { default: 30 },
  ),
};

export const command = defineCommand({
  name: "order",
  summary: "Place a manual market BUY or SELL through the pipeline (guards, sizing, protection)",
  description:
    "A BUY spends --amount-usd (or the watchlist's amount) at market and protects the filled quantity with an OCO\n(take-profit and stop-loss from the watchlist's TP %/SL %). A SELL exits the symbol's open positions: their\nprotection is cancelled, then only what they still hold is sold. Dry run unless LIVE_TRADING=true and the\nstore's live switch is on.",
  notes:
    "Exit codes: 0 placed or filled, 1 blocked or failed (the reason is printed), 2 usage or store error.",
  positionals: [
    { name: "SIDE", help: "buy or sell", choices: ["buy", "sell"] },
    { name: "SYMBOL", help: "the instrument, e.g. BTC_USD" },
  ],
  options,
  run,
});

async function run(
  values: OptionValues<typeof options>,
  ctx: { positionals: string[]; usageError(e: unknown): number },
): Promise<number> {
  const [sideWord, symbol] = ctx.positionals as [string, string];
  if (!SYMBOL.test(symbol))
    return ctx.usageError(new Error(`SYMBOL must look like BTC_USD (capitals, BASE_QUOTE), not "${symbol}"`));
  const side: Side = sideWord === "buy" ? "BUY" : "SELL";
  const amountUsd = values["amount-usd"];
  const report = loadConfig();
  const invalid = invalidConfigText(report);
  if (invalid) {
    process.stderr.write(`atp order: ${invalid}`);
    return 2;
  }
  const what = `${side} ${symbol}${amountUsd ? ` for ${amountUsd} USD` : ""}`;
  if (!values.yes && !(await confirm(`Place a market ${what}? [y/N] `))) {
    process.stderr.write(
      process.stdin.isTTY
        ? "atp order: not placed\n"
        : "atp order: not placed (add --yes to confirm without a prompt)\n",
    );
    return 1;
  }
  const request: TradeRequest = {
    symbol,
    side,
    source: "cli",
    actor: "operator:cli",
    idempotencyKey: `cli:${randomUUID()}`,
    ...(amountUsd ? { amountUsd: new Dec(amountUsd) } : {}),
  };
  const out = { json: values.json, waitMs: values.wait * 1000 };
  const runtime = createRuntime(report, { name: "order" });
  try {
    const store = await openOrExplain(runtime);
    if (!store) return 2;
    const engine = await runtime.engine({ tickMs: 500 });
    try {
      await runtime.start();
    } catch (e) {
      // SQLite: an engine holds the file (a failed start closed this runtime's store)
      if (!(e instanceof StoreLockedError)) throw e;
      return await viaInbox(request, amountUsd, out);
    }
    const trader = engine.trader;
    if (trader) {
      const result = await trader.submit(request);
      await trader.settled();
      return printTradeResult(store, result, { json: values.json });
    }
    // PostgreSQL: another instance leads; stop competing for leadership and hand the order over
    await engine.stop();
    return await handOver(store, request, amountUsd, out);
  } finally {
    await runtime.stop();
  }
}

async function openOrExplain(runtime: Runtime): Promise<Store | undefined> {
  try {
    return await runtime.store();
  } catch (e) {
    process.stderr.write(`atp order: cannot open the store: ${e instanceof Error ? e.message : String(e)}\n`);
    return undefined;
  }
}

async function viaInbox(
  request: TradeRequest,
  amountUsd: string | undefined,
  out: { json: boolean; waitMs: number },
): Promise<number> {
  const runtime = createRuntime(loadConfig(), { name: "order" });
  try {
    const store = await openOrExplain(runtime);
    return store ? await handOver(store, request, amountUsd, out) : 2;
  } finally {
    await runtime.stop();
  }
}

async function handOver(
  store: Store,
  request: TradeRequest,
  amountUsd: string | undefined,
  out: { json: boolean; waitMs: number },
): Promise<number> {
  const signal = await store.signals.insert({
    symbol: request.symbol,
    side: request.side,
    source: "cli",
    strategy: "manual",
    trace: inboxTrace({ amountUsd, actor: request.actor }),
  });
  if (!out.json)
    process.stdout.write(`atp order: an engine is running; handed over as signal ${signal.id}\n`);
  return printInboxOutcome(store, signal.id, out);
}

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}
