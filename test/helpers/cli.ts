/** Spawns the CLI from source in a child process, as a user would run it. */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const ENTRY = fileURLToPath(new URL("./atp-entry.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** tsx's loader by absolute URL, so the CLI can run from any working directory. */
const TSX = new URL("../../node_modules/tsx/dist/loader.mjs", import.meta.url).href;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Environment with every atp variable removed, so the developer's own settings never leak into tests. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (
      /^(EXCHANGE_|CRYPTO_|USE_CRYPTO|LIVE_TRADING|DATABASE_URL|HOST|PORT|ATP_|TELEGRAM_|OUTBOUND_IP)/.test(k)
    )
      continue;
    env[k] = v;
  }
  return { ...env, LOG_PRETTY: "false", ...extra };
}

export function runCli(
  args: string[],
  opts: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", TSX, ENTRY, ...args], {
      cwd: opts.cwd ?? ROOT,
      env: cleanEnv(opts.env),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 30_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
