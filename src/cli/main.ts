/**
 * CLI entry point: `atp <command> [options]`. Each command lives in src/cli/commands/<name>.ts and
 * exports `command`, made by `defineCommand` (define-command.ts): its options, usage, `--help` and
 * `run(args): Promise<number>` (the process exit code).
 * Exit codes: 0 ok, 1 a problem was found (check failed), 2 usage or configuration error.
 *
 * Invariants:
 * - The command name comes from the user: it is looked up in a Map, so `atp constructor` or
 *   `atp __proto__` is an unknown command like any other.
 * - A reader that closes stdout or stderr (`atp demo | head -3`) ends the command quietly
 *   (guardOutput, lifecycle.ts), for every command.
 */
import type { Command } from "./define-command.js";
import { guardOutput } from "./lifecycle.js";

type Load = () => Promise<Command>;

/** Every command and how to load it (src/cli/commands/<name>.ts), in the order `atp --help` lists them. */
const COMMANDS: ReadonlyMap<string, Load> = new Map<string, Load>([
  ["start", () => import("./commands/start.js").then((m) => m.command)],
  ["demo", () => import("./commands/demo.js").then((m) => m.command)],
  ["check-config", () => import("./commands/check-config.js").then((m) => m.command)],
  ["test-connection", () => import("./commands/test-connection.js").then((m) => m.command)],
  ["sign", () => import("./commands/sign.js").then((m) => m.command)],
  ["emulator", () => import("./commands/emulator.js").then((m) => m.command)],
  ["doctor", () => import("./commands/doctor.js").then((m) => m.command)],
  ["backtest", () => import("./commands/backtest.js").then((m) => m.command)],
  ["order", () => import("./commands/order.js").then((m) => m.command)],
  ["orders", () => import("./commands/orders.js").then((m) => m.command)],
  ["positions", () => import("./commands/positions.js").then((m) => m.command)],
  ["telegram", () => import("./commands/telegram.js").then((m) => m.command)],
  ["proxy", () => import("./commands/proxy.js").then((m) => m.command)],
  ["backup", () => import("./commands/backup.js").then((m) => m.command)],
  ["restore", () => import("./commands/restore.js").then((m) => m.command)],
]);

/** Command names, in the order `atp --help` lists them. */
export const COMMAND_NAMES: readonly string[] = [...COMMANDS.keys()];

async function usage(): Promise<string> {
  const lines = ["usage: atp <command> [options]", "", "commands:"];
  for (const [name, load] of COMMANDS) {
    const summary = await load()
      .then((c) => c.summary)
      .catch(() => "(not available)");
    lines.push(`  ${name.padEnd(16)} ${summary}`);
  }
  lines.push("", "Run `atp <command> --help` for a command's options.");
  return lines.join("\n");
}

export async function main(argv: string[]): Promise<number> {
  guardOutput();
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(`${await usage()}\n`);
    return name ? 0 : 2;
  }
  const load = COMMANDS.get(name);
  if (!load) {
    process.stderr.write(`atp: unknown command '${name}'\n\n${await usage()}\n`);
    return 2;
  }
  return (await load()).run(rest);
}
