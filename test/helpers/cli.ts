/**
 * Runs the CLI in a child process, as a user would run it: the current source, bundled once per
 * source (cli-bundle.ts, shared by the run's test files; ~0.3 s per run instead of ~2 s of TypeScript
 * transforms under tsx).
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { bundleCli, type CliBundle } from "./cli-bundle.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

let shared: Promise<CliBundle> | undefined;

/** This test process's CLI bundle (built on first use, or the run's bundle of the same source). */
export function sharedCliBundle(): Promise<CliBundle> {
  shared ??= bundleCli();
  return shared;
}

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
  return sharedCliBundle().then((bundle) => runBundled(bundle, args, opts));
}

function runBundled(
  bundle: CliBundle,
  args: string[],
  opts: { cwd?: string; env?: Record<string, string>; timeoutMs?: number },
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle.file, ...args], {
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
