/**
 * `atp backtest` refuses bad input before loading anything, with exit 2 and the flag named: dates
 * that do not exist or cannot be represented, ranges too large to hold in memory, a base URL that is
 * not a URL, a report directory that cannot be written, built-in names as timeframe or preset.
 * Through the CLI's main() in-process.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { instantOption } from "../../src/cli/args.js";
import { runMain } from "../helpers/in-process.js";

const dir = mkdtempSync(join(tmpdir(), "atp-backtest-input-"));
const gen = ["backtest", "--symbol", "BTC_USD", "--source", "emulator"];

async function refused(args: string[], message: RegExp) {
  const r = await runMain(args, { cwd: dir });
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at |RangeError|ENOTDIR:/);
  expect(r.stdout).toBe("");
  expect(r.code).toBe(2);
}

describe("dates", () => {
  it("refuses impossible calendar dates instead of rolling them over", async () => {
    await refused(
      [...gen, "--from", "2025-02-30"],
      /--from must be an ISO date .*that date or time does not exist, got "2025-02-30"/,
    );
    await refused([...gen, "--to", "2025-13-01"], /--to .*does not exist/);
    await refused([...gen, "--from", "2025-01-01T24:00:00Z"], /--from .*does not exist/);
  });

  it("refuses dates a Date cannot hold or outside 1970 to 9999", async () => {
    await refused([...gen, "--from", "+275760-09-13T00:00:00Z"], /--from must be an ISO date/);
    await refused([...gen, "--from", "1969-12-31"], /--from .*between 1970 and the year 9999/);
    await refused([...gen, "--to", "99999999999999999999"], /--to .*before the year 10000/);
  });

  it("parses the forms it documents, as UTC unless an offset is given", () => {
    expect(instantOption("from", "2024-02-29")).toBe(Date.UTC(2024, 1, 29));
    expect(instantOption("from", "2025-01-31T12:30")).toBe(Date.UTC(2025, 0, 31, 12, 30));
    expect(instantOption("from", "2025-01-31T12:30:15.5Z")).toBe(Date.UTC(2025, 0, 31, 12, 30, 15, 500));
    expect(instantOption("from", "2025-01-31T12:30:00+02:00")).toBe(Date.UTC(2025, 0, 31, 10, 30));
    expect(instantOption("from", "1735689600000")).toBe(1735689600000);
    expect(() => instantOption("from", "2023-02-29")).toThrow(/does not exist/);
    expect(() => instantOption("from", "31/01/2025")).toThrow(/not in one of these forms/);
  });
});

describe("range size", () => {
  it("says before loading that 1m candles since 1970 are too many (no out-of-memory crash)", async () => {
    await refused(
      [...gen, "--timeframe", "1m", "--from", "1970-01-01", "--to", "2026-01-01"],
      /1970-01-01T00:00:00Z to 2026-01-01T00:00:00Z is 29,453,760 1m candles; a backtest loads at most 600,000: shorten --from\/--to or use a longer --timeframe/,
    );
  });

  it("checks the REST source the same way, before any request", async () => {
    await refused(
      [
        "backtest",
        "--symbol",
        "BTC_USD",
        "--timeframe",
        "1m",
        "--from",
        "1970-01-01",
        "--base-url",
        "http://127.0.0.1:9/exchange/v1",
      ],
      /1m candles; a backtest loads at most 600,000/,
    );
  });
});

describe("other flags", () => {
  it("--base-url that is not a URL is a usage error (exit 2)", async () => {
    await refused(
      ["backtest", "--symbol", "BTC_USD", "--base-url", "not-a-url"],
      /--base-url: "not-a-url" is not a URL/,
    );
    await refused(
      ["backtest", "--symbol", "BTC_USD", "--base-url", "ftp://h/x"],
      /--base-url: must be an http\(s\) URL/,
    );
  });

  it("--report under a file (ENOTDIR) is refused before the run", async () => {
    const file = join(dir, "a-file");
    writeFileSync(file, "x");
    await refused(
      [...gen, "--report", join(file, "out")],
      /--report .*a-file\/out: cannot create the report directory: ENOTDIR/,
    );
  });

  it("built-in object property names are unknown timeframes and presets", async () => {
    for (const tf of ["constructor", "__proto__", "toString"])
      await refused([...gen, "--timeframe", tf], new RegExp(`--timeframe must be one of .*got "${tf}"`));
    for (const p of ["constructor", "__proto__", "toString"])
      await refused([...gen, "--preset", p], new RegExp(`--preset '${p}' is not in the strategies file`));
  });
});
