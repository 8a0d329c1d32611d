/**
 * Runs the CLI's `main()` inside the test process, as the child-process helper (cli.ts) runs it
 * outside: in a working directory, with a clean environment (every atp variable removed), capturing
 * stdout and stderr (logs included: the logger writes to process.stderr). Much faster than a child
 * process; use runCli only for what needs a real process (signals, pipes, exit behaviour).
 *
 * Calls must not overlap (they swap process.env, the working directory and the write functions);
 * vitest runs the tests of one file one after another, which is all this needs.
 */
import { main } from "../../src/cli/main.js";
import { type CliResult, cleanEnv } from "./cli.js";

type Write = typeof process.stdout.write;

export async function runMain(
  args: string[],
  opts: { cwd?: string; env?: Record<string, string> } = {},
): Promise<CliResult> {
  const saved = {
    env: process.env,
    cwd: process.cwd(),
    out: process.stdout.write,
    err: process.stderr.write,
  };
  let stdout = "";
  let stderr = "";
  const capture =
    (append: (s: string) => void): Write =>
    (chunk: unknown, ...rest: unknown[]) => {
      append(typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString());
      const cb = rest.find((r) => typeof r === "function") as (() => void) | undefined;
      cb?.();
      return true;
    };
  process.env = cleanEnv(opts.env);
  if (opts.cwd) process.chdir(opts.cwd);
  process.stdout.write = capture((s) => {
    stdout += s;
  });
  process.stderr.write = capture((s) => {
    stderr += s;
  });
  try {
    const code = await main(args);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = saved.out;
    process.stderr.write = saved.err;
    process.env = saved.env;
    process.chdir(saved.cwd);
  }
}
