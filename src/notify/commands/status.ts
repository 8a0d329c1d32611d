/** /start, /help, /status and /diagnose. */
import { b, code, escapeHtml } from "../html.js";
import { verdictLines } from "../messages/verdict.js";
import type { BotCommandSpec } from "./types.js";

export const startCommand: BotCommandSpec = {
  name: "start",
  description: "Hello and what this bot does",
  run: async () => ({
    title: b("atp is connected"),
    lines: ["This chat receives atp's alerts and may control it. /help lists the commands."],
  }),
};

export function helpCommand(all: () => readonly BotCommandSpec[]): BotCommandSpec {
  return {
    name: "help",
    description: "The commands",
    run: async () => ({
      title: b("Commands"),
      lines: all().map((c) => `/${c.name} — ${escapeHtml(c.description)}`),
    }),
  };
}

export const statusCommand: BotCommandSpec = {
  name: "status",
  description: "Mode, leader, sync, last diagnosis",
  run: async (c) => {
    const { engine, exchange, store } = c.deps;
    const settings = await c.deps.services.getSettings();
    const st = exchange.state();
    const [last] = await store.reports.list(1);
    const lines = [
      `Mode: ${b(await engine.mode())}${engine.envLiveTrading ? "" : " (LIVE_TRADING is not true: live is off)"}`,
      `Leader: ${engine.leader() ? "this process" : "another process"} · engine ${engine.running() ? "running" : "stopped"}`,
      `Kill switch: ${settings.killSwitch.value ? b("ON (no new entries)") : "off"} · live switch: ${settings.liveTrading.value ? "on" : "off"}`,
      `Exchange sync: ${code(st.sync_status)}${st.reason ? ` — ${escapeHtml(st.reason)}` : ""}${st.last_sync ? ` (last ${escapeHtml(new Date(st.last_sync).toISOString())})` : ""}`,
      last
        ? `Last diagnosis: ${escapeHtml(last.verdict)} (${escapeHtml(new Date(last.createdAt).toISOString())})`
        : "Last diagnosis: none",
    ];
    return { title: b("Status"), lines };
  },
};

export const diagnoseCommand: BotCommandSpec = {
  name: "diagnose",
  description: "Run the doctor and answer its verdict",
  run: async (c) => {
    const report = await c.deps.diagnostics.run();
    return { title: b(`Doctor: ${report.verdict}`), lines: verdictLines(JSON.parse(JSON.stringify(report))) };
  },
};
