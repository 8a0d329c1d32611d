/**
 * `atp emulator [--host 127.0.0.1] [--port 8100] [--config FILE] [--seed N] [--speed N]`: runs the
 * exchange emulator in the foreground. Prints `listening on http://HOST:PORT/exchange/v1` once ready
 * (stdout), then runs until SIGINT/SIGTERM and closes cleanly (exit 0). Bad flags or configuration:
 * exit 2 with the flag or field named.
 */
import { parseArgs } from "node:util";
import {
  type EmulatorConfig,
  EmulatorConfigError,
  loadEmulatorConfigFile,
  parseEmulatorConfig,
  startEmulator,
} from "../../emulator/index.js";
import { intFlag, usageError } from "../args.js";

export const summary = "Run the offline Crypto.com Exchange emulator (REST, WebSocket, admin API)";

const USAGE = "atp emulator [--host 127.0.0.1] [--port 8100] [--config FILE] [--seed N] [--speed N]";

export async function run(args: string[]): Promise<number> {
  let host: string;
  let port: number;
  let config: EmulatorConfig;
  try {
    const { values } = parseArgs({
      args,
      options: {
        host: { type: "string" },
        port: { type: "string" },
        config: { type: "string" },
        seed: { type: "string" },
        speed: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
    if (values.help) {
      process.stdout.write(
        `usage: ${USAGE}\nDefaults: key demo-key / secret demo-secret; see docs/emulator.md.\n`,
      );
      return 0;
    }
    host = values.host ?? "127.0.0.1";
    port = intFlag("port", values.port, 0) ?? 8100;
    if (port > 65_535) throw new Error(`--port must be between 0 and 65535, got "${values.port}"`);
    const seed = intFlag("seed", values.seed, 0);
    let speed: number | undefined;
    if (values.speed !== undefined) {
      speed = Number(values.speed);
      if (!Number.isFinite(speed) || speed <= 0) {
        throw new Error(
          `--speed must be a positive number (e.g. 10 for ten times faster), got "${values.speed}"`,
        );
      }
    }
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
    return usageError("emulator", err, USAGE);
  }

  let handle: Awaited<ReturnType<typeof startEmulator>>;
  try {
    handle = await startEmulator(config, { host, port });
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
  process.stdout.write(`listening on ${handle.baseUrl}\n`);
  process.stdout.write(
    `  ws user ${handle.wsUserUrl}\n  ws market ${handle.wsMarketUrl}\n  admin ${handle.adminUrl}\n  ip echo ${handle.ipEchoUrl}\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  await handle.close();
  process.stdout.write("emulator stopped\n");
  return 0;
}
