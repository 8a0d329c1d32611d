/**
 * CLI entry point: `atp <command> [options]`. Each command lives in src/cli/commands/<name>.ts and
 * exports `run(args: string[]): Promise<number>` (the process exit code) plus a one-line `summary`.
 * Exit codes: 0 ok, 1 a problem was found (check failed), 2 usage or configuration error.
 */

export interface Command {
  summary: string;
  /** One-line usage; when present, `--help`/`-h` prints it (commands without it handle help themselves). */
  usage?: string;
  run(args: string[]): Promise<number>;
}

/** Command names; each maps to src/cli/commands/<name>.ts. */
export const COMMAND_NAMES = [
  "demo",
  "check-config",
  "test-connection",
  "sign",
  "emulator",
  "doctor",
  "backtest",
] as const;

const COMMANDS: Record<string, () => Promise<Command>> = Object.fromEntries(
  COMMAND_NAMES.map((name) => [name, () => import(`./commands/${name}.js`) as Promise<Command>]),
);

async function usage(): Promise<string> {
  const lines = ["usage: atp <command> [options]", "", "commands:"];
  for (const [name, load] of Object.entries(COMMANDS)) {
    const summary = await load()
      .then((c) => c.summary)
      .catch(() => "(not available)");
    lines.push(`  ${name.padEnd(16)} ${summary}`);
  }
  lines.push("", "Run `atp <command> --help` for a command's options.");
  return lines.join("\n");
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(`${await usage()}\n`);
    return name ? 0 : 2;
  }
  const load = COMMANDS[name];
  if (!load) {
    process.stderr.write(`atp: unknown command '${name}'\n\n${await usage()}\n`);
    return 2;
  }
  const command = await load();
  if (command.usage && (rest.includes("--help") || rest.includes("-h"))) {
    process.stdout.write(`${command.summary}\nusage: ${command.usage}\n`);
    return 0;
  }
  return command.run(rest);
}
