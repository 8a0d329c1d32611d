/**
 * `atp emulator [--host 127.0.0.1] [--port 8100] [--config FILE] [--seed N] [--speed N]`: runs the
 * exchange emulator in the foreground. Prints `listening on http://HOST:PORT/exchange/v1` once ready
 * (stdout), then runs until SIGINT/SIGTERM (or its stdout is closed) and closes cleanly (exit 0).
 * Bad flags or configuration: exit 2 with the flag or field named.
 */
import { createRuntime } from "../../app/runtime.js";
import { loadConfig } from "../../config/load.js";
import {
  type EmulatorConfig,
  EmulatorConfigError,
  loadEmulatorConfigFile,
  parseEmulatorConfig,
} from "../../emulator/index.js";
import { PORT_RANGE, SEED_RANGE } from "../args.js";
import { type CommandContext, defineCommand, type OptionValues, option } from "../define-command.js";
import { onStop } from "../lifecycle.js";

const options = {
  host: option.string("address to listen on", { default: "127.0.0.1" }),
  port: option.int("port to listen on (0: a free one)", PORT_RANGE, { default: 8100 }),
  config: option.string("emulator configuration file (JSON; see docs/emulator.md)", { value: "FILE" }),
  seed: option.int("seed of the market process (overrides the file)", SEED_RANGE, { value: "N" }),
  speed: option.number(
    "market speed, times real time (overrides the file)",
    {
      min: 0,
      max: 100_000,
      minExclusive: true,
    },
    { value: "N" },
  ),
};

export const command = defineCommand({
  name: "emulator",
  summary: "Run the offline Crypto.com Exchange emulator (REST, WebSocket, admin API)",
  notes:
    "Defaults: key demo-key / secret demo-secret; see docs/emulator.md.\nRuns until SIGINT/SIGTERM (a second one exits at once).",
  options,
  run,
});

async function run(values: OptionValues<typeof options>, ctx: CommandContext): Promise<number> {
  const { host, port, seed, speed } = values;
  let config: EmulatorConfig;
  try {
    const base = values.config ? loadEmulatorConfigFile(values.config) : parseEmulatorConfig({});
    config = parseEmulatorConfig({
      ...base,
      ...(seed !== undefined ? { seed } : {}),
      ...(speed !== undefined ? { speed } : {}),
    });
  } catch (err) {
    if (err instanceof EmulatorConfigError) {
      process.stderr.write(
        `atp emulator: ${err.message}\nFix the field(s) named above (see docs/emulator.md).\n`,
      );
      return 2;
    }
    return ctx.usageError(err);
  }

  const runtime = createRuntime(loadConfig(), {
    name: "emulator",
    venue: { kind: "emulator", config, host, port },
  });
  try {
    await runtime.start();
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const hint =
      e.code === "EADDRINUSE"
        ? ` (port ${port} is in use: pick another with --port, or --port 0 for a free one)`
        : e.code === "EADDRNOTAVAIL"
          ? ` (--host ${host} is not an address of this machine)`
          : "";
    process.stderr.write(`atp emulator: cannot listen on ${host}:${port}: ${e.message}${hint}\n`);
    return 2;
  }
  const handle = runtime.emulator;
  // listening for the stop before saying "listening": whoever reads that line may signal at once;
  // the listener stays registered while closing, so a second signal exits at once
  let unsubscribe = () => {};
  const stopRequested = new Promise<void>((resolve) => {
    unsubscribe = onStop(() => resolve());
  });
  process.stdout.write(`listening on ${handle.baseUrl}\n`);
  process.stdout.write(
    `  ws user ${handle.wsUserUrl}\n  ws market ${handle.wsMarketUrl}\n  admin ${handle.adminUrl}\n  ip echo ${handle.ipEchoUrl}\n`,
  );
  await stopRequested;
  await runtime.stop();
  unsubscribe();
  process.stdout.write("emulator stopped\n");
  return 0;
}
