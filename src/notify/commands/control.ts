/**
 * Commands that change state, each through TradingServices with the actor `telegram:<chat id>`:
 * /pause and /resume (kill switch), /panic (kill switch on: no new entries anywhere; protection,
 * exits and flattening go on), /live on|off (on only when the environment allows it, and only
 * after the inline confirmation button), /add and /remove SYMBOL.
 */
import { InlineKeyboard } from "grammy";
import { b, code, escapeHtml } from "../html.js";
import type { BotCommandSpec, CommandCall } from "./types.js";

export const LIVE_ON_ACTION = "live:on";

export const pauseCommand: BotCommandSpec = {
  name: "pause",
  description: "Kill switch on: no new entries",
  run: async (c) => {
    await c.deps.services.setKillSwitch(true, c.actor);
    return {
      title: b("Paused"),
      lines: ["Kill switch ON: no new entries. Protection and exits go on. /resume to continue."],
    };
  },
};

export const resumeCommand: BotCommandSpec = {
  name: "resume",
  description: "Kill switch off: entries allowed again",
  run: async (c) => {
    await c.deps.services.setKillSwitch(false, c.actor);
    return { title: b("Resumed"), lines: ["Kill switch off: new entries are allowed again."] };
  },
};

export const panicCommand: BotCommandSpec = {
  name: "panic",
  description: "Stop new entries everywhere (protection stays)",
  run: async (c) => {
    await c.deps.services.setKillSwitch(true, c.actor);
    const open = await c.deps.services.listPositions({ open: true });
    return {
      title: b("PANIC: all new entries stopped"),
      lines: [
        "Kill switch ON for every symbol.",
        `${open.length} open position(s) keep their exchange-side protection (take profit and stop loss); nothing is sold by this command.`,
        "/resume when you are ready.",
      ],
    };
  },
};

export const liveCommand: BotCommandSpec = {
  name: "live",
  description: "Live trading on|off (on asks for confirmation)",
  run: async (c) => {
    const arg = c.args.toLowerCase();
    if (arg === "off") {
      await c.deps.services.setLiveTrading(false, c.actor);
      return { title: b("Live trading OFF"), lines: ["New orders run in DRY RUN."] };
    }
    if (arg !== "on") return { title: b("Usage"), lines: ["/live on  or  /live off"] };
    if (!c.deps.engine.envLiveTrading)
      return {
        title: b("Live trading not allowed"),
        lines: [
          "LIVE_TRADING is not true in this atp's environment: set it and restart to allow live trading.",
        ],
      };
    const data = c.confirm(LIVE_ON_ACTION);
    return {
      title: b("Turn LIVE trading on?"),
      lines: ["New orders will use real money on the exchange. Confirm within 60 s."],
      keyboard: new InlineKeyboard().text("✅ Confirm LIVE", data).text("Cancel", "cancel"),
    };
  },
};

/** What the confirmation button does (bot.ts calls it after checking the one-time token). */
export async function confirmLiveOn(c: Pick<CommandCall, "deps" | "actor">): Promise<string> {
  if (!c.deps.engine.envLiveTrading) return "Live trading is not allowed by the environment.";
  await c.deps.services.setLiveTrading(true, c.actor);
  return "LIVE trading is ON: new orders use real money.";
}

const SYMBOL_RE = /^[A-Z0-9]{1,15}(_[A-Z0-9]{1,15})?(-PERP)?$/;

async function symbolArg(c: CommandCall): Promise<{ symbol: string } | { problem: string }> {
  const symbol = c.args.toUpperCase().replace("/", "_");
  if (!SYMBOL_RE.test(symbol))
    return { problem: `${code(c.args || "(none)")} is not a symbol: write it like BTC_USD` };
  return { symbol };
}

export const addCommand: BotCommandSpec = {
  name: "add",
  description: "Add SYMBOL to the watchlist",
  run: async (c) => {
    const a = await symbolArg(c);
    if ("problem" in a) return { title: b("Not added"), lines: [a.problem] };
    const known = await c.deps.market.instruments().catch(() => [] as string[]);
    if (known.length > 0 && !known.includes(a.symbol)) {
      const near = known.filter((k) => k.startsWith(a.symbol.split("_")[0] ?? "")).slice(0, 5);
      return {
        title: b("Not added"),
        lines: [
          `The exchange has no ${code(a.symbol)}.${near.length ? ` Did you mean ${near.map(code).join(", ")}?` : ""}`,
        ],
      };
    }
    await c.deps.services.upsertWatchlist({ symbol: a.symbol, alertsEnabled: true }, c.actor);
    await c.deps.market.watch(a.symbol).catch(() => undefined);
    return {
      title: b("Added"),
      lines: [
        `${code(a.symbol)} is on the watchlist. Trading for it stays as configured (set an amount to trade).`,
      ],
    };
  },
};

export const removeCommand: BotCommandSpec = {
  name: "remove",
  description: "Remove SYMBOL from the watchlist",
  run: async (c) => {
    const a = await symbolArg(c);
    if ("problem" in a) return { title: b("Not removed"), lines: [a.problem] };
    const removed = await c.deps.services.removeWatchlist(a.symbol, c.actor);
    if (removed) await c.deps.market.unwatch(a.symbol).catch(() => undefined);
    return {
      title: b(removed ? "Removed" : "Not on the watchlist"),
      lines: [
        removed
          ? `${code(a.symbol)} is no longer watched. Open positions keep their protection.`
          : `${escapeHtml(a.symbol)} was not on the watchlist.`,
      ],
    };
  },
};
