/**
 * `defineCommand`: options declared once give the usage line, the help, the parsing into typed
 * values and every usage error (exit 2, option named, usage line after it). In-process: the
 * helper's own tests capture stdout/stderr; the last block runs every real command through main().
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PORT_RANGE } from "../../src/cli/args.js";
import { defineCommand, option } from "../../src/cli/define-command.js";
import { COMMAND_NAMES } from "../../src/cli/main.js";
import { runMain } from "../helpers/in-process.js";

type Write = typeof process.stdout.write;

async function capture(fn: () => Promise<number>): Promise<{ code: number; stdout: string; stderr: string }> {
  const saved = { out: process.stdout.write, err: process.stderr.write };
  let stdout = "";
  let stderr = "";
  process.stdout.write = ((s: string) => {
    stdout += s;
    return true;
  }) as Write;
  process.stderr.write = ((s: string) => {
    stderr += s;
    return true;
  }) as Write;
  try {
    return { code: await fn(), stdout, stderr };
  } finally {
    process.stdout.write = saved.out;
    process.stderr.write = saved.err;
  }
}

const seen: unknown[] = [];
const cmd = defineCommand({
  name: "thing",
  summary: "Do a thing",
  description: "Longer words about the thing.",
  notes: "Exit codes: 0 ok.",
  options: {
    symbol: option.string("the instrument", { value: "SYMBOL", required: "an instrument such as BTC_USD" }),
    port: option.int("the port", PORT_RANGE, { default: 8100 }),
    id: option.int("an id", { min: -10, max: 10 }, { value: "N" }),
    ratio: option.number("a ratio", { min: 0, max: 1, minExclusive: true }, { value: "R" }),
    markdown: option.optionalValue("markdown to FILE or stdout", { value: "FILE" }),
    json: option.flag("JSON output"),
  },
  async run(values, ctx) {
    seen.push(values);
    if (values.json && values.markdown === true) return ctx.usageError("--json and --markdown clash");
    return 0;
  },
});

describe("defineCommand: usage and help come from the declared options", () => {
  it("the usage line lists every option: required bare, defaults as example values", () => {
    expect(cmd.usage).toBe(
      "atp thing --symbol SYMBOL [--port 8100] [--id N] [--ratio R] [--markdown [FILE]] [--json]",
    );
  });

  it("--help anywhere prints summary, usage, description, every option with its default, and notes; exit 0", async () => {
    seen.length = 0;
    const r = await capture(() => cmd.run(["--port", "1", "--help"]));
    expect(r.code).toBe(0);
    expect(seen).toEqual([]);
    expect(r.stdout).toContain("Do a thing\n\nusage: atp thing --symbol SYMBOL");
    expect(r.stdout).toContain("Longer words about the thing.");
    expect(r.stdout).toMatch(/--port PORT +the port \(default 8100\)/);
    expect(r.stdout).toMatch(/--markdown \[FILE\] +markdown to FILE or stdout/);
    expect(r.stdout).toMatch(/-h, --help +show this help/);
    expect(r.stdout).toContain("Exit codes: 0 ok.");
  });
});

describe("defineCommand: parsing", () => {
  it("gives run typed values with defaults; negative numbers are values; --name [VALUE] reads true or the value", async () => {
    seen.length = 0;
    expect((await capture(() => cmd.run(["--symbol", "BTC_USD", "--id", "-3", "--markdown"]))).code).toBe(0);
    expect(
      (await capture(() => cmd.run(["--symbol=X", "--markdown", "out.md", "--ratio", "0.5"]))).code,
    ).toBe(0);
    expect((await capture(() => cmd.run(["--symbol", "X", "--markdown=r.md", "--json"]))).code).toBe(0);
    expect(seen).toEqual([
      { symbol: "BTC_USD", port: 8100, id: -3, ratio: undefined, markdown: true, json: false },
      { symbol: "X", port: 8100, id: undefined, ratio: 0.5, markdown: "out.md", json: false },
      { symbol: "X", port: 8100, id: undefined, ratio: undefined, markdown: "r.md", json: true },
    ]);
  });

  const refused: [string[], RegExp][] = [
    [
      ["--symbol", "X", "--nope"],
      /^atp thing: unknown option '--nope' \(options: --symbol, --port, .*--help\)\n/,
    ],
    [["--symbol", "X", "--constructor"], /unknown option '--constructor'/],
    [["--symbol", "X", "--__proto__=1"], /unknown option '--__proto__'/],
    [["--symbol", "X", "-z"], /unknown option '-z'/],
    [["--port", "1"], /--symbol is required: an instrument such as BTC_USD/],
    [["--symbol", "X", "--port", "70000"], /--port must be an integer from 0 to 65535, got "70000"/],
    [["--symbol", "X", "--id", "-11"], /--id must be an integer from -10 to 10, got "-11"/],
    [["--symbol", "X", "--ratio", "0"], /--ratio must be a positive number up to 1/],
    [["--symbol", "X", "stray"], /unexpected argument "stray"/],
    [["--symbol", "X", "--json", "--markdown"], /--json and --markdown clash/],
    // the first declared option's problem is the one reported
    [["--port", "70000", "--id", "99", "--symbol", "X"], /--port must be/],
  ];
  for (const [args, message] of refused) {
    it(`${args.join(" ")} → exit 2, named, usage line after`, async () => {
      const r = await capture(() => cmd.run(args));
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toContain(`\nusage: ${cmd.usage}\n`);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });
  }
});

describe("every atp command is defined this way", () => {
  const cwd = mkdtempSync(join(tmpdir(), "atp-define-"));
  for (const name of COMMAND_NAMES) {
    it(`atp ${name} --no-such-flag: exit 2, the option named, the usage line`, async () => {
      const r = await runMain([name, "--no-such-flag"], { cwd });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^atp ${name}: unknown option '--no-such-flag' \\(options: `));
      expect(r.stderr).toMatch(new RegExp(`\\nusage: atp ${name}`));
    });

    it(`atp ${name} --help lists its options with their help`, async () => {
      const r = await runMain([name, "--help"], { cwd });
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/\n\noptions:\n {2}--/);
      expect(r.stdout).toMatch(/-h, --help +show this help\n/);
    });
  }
});
