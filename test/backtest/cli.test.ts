/** `atp backtest` as a user runs it (child process), over a CSV file, the emulator's REST API and generated candles. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatCandleCsv } from "../../src/backtest/csv.js";
import { type EmulatorHandle, startEmulator } from "../../src/emulator/index.js";
import { runMain as runCli } from "../helpers/in-process.js";
import { STORY } from "../strategy/story.js";

const dir = mkdtempSync(join(tmpdir(), "atp-backtest-"));
const csv = join(dir, "story.csv");
writeFileSync(csv, formatCandleCsv(STORY));

describe("atp backtest", () => {
  it("runs a preset over a CSV file and prints JSON with the trades", async () => {
    const r = await runCli([
      "backtest",
      "--symbol",
      "BTC_USD",
      "--timeframe",
      "1h",
      "--preset",
      "swing-conservative",
      "--candles",
      csv,
      "--json",
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({
      symbol: "BTC_USD",
      timeframe: "1h",
      strategy: "swing-conservative",
      candles: STORY.length,
      gaps: 0,
    });
    expect(out.trades.length).toBeGreaterThanOrEqual(1);
    // the bounce BUY fills at the next open
    expect(out.trades[0].entryTime).toBe(new Date(STORY[309]!.t).toISOString().replace(".000Z", "Z"));
    expect(out.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it("writes the same self-contained report byte for byte on every run", async () => {
    const a = join(dir, "a");
    const b = join(dir, "b");
    const args = [
      "backtest",
      "--symbol",
      "BTC_USD",
      "--timeframe",
      "1h",
      "--preset",
      "scalp-aggressive",
      "--candles",
      csv,
    ];
    // one after the other: in-process runs share stdout (the second run also proves no state leaks between runs)
    const ra = await runCli([...args, "--report", a]);
    const rb = await runCli([...args, "--report", b]);
    expect([ra.code, rb.code]).toEqual([0, 0]);
    expect(ra.stdout).toContain(`report        ${join(a, "report.html")}`);
    for (const f of ["report.html", "result.json"])
      expect(readFileSync(join(b, f))).toEqual(readFileSync(join(a, f)));
    const html = readFileSync(join(a, "report.html"), "utf8");
    expect(html).toContain('aria-label="price with BUY/SELL markers"');
    expect(html).toContain('aria-label="equity curve"');
    expect(html).toMatch(/class="buy"/);
    expect(html).toMatch(/class="(sell|sl|tp)"/);
    expect(html).not.toMatch(/<script|<link|src=|href=|@import|url\(/i);
    expect(html.match(/https?:\/\/[^"]+/g)).toEqual([
      "http://www.w3.org/2000/svg",
      "http://www.w3.org/2000/svg",
    ]);
  });

  it("refuses bad input, naming the flag or the line", async () => {
    const bad = join(dir, "bad.csv");
    writeFileSync(
      bad,
      "t,o,h,l,c,v\n1735689600000,1,2,0.5,1.5,10\n1735689600000,1,2,0.5,1.5,10\n1735693200000,1,2,x,1.5,10\n",
    );
    let r = await runCli(["backtest", "--symbol", "BTC_USD", "--timeframe", "1h", "--candles", bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("line 3: t=1735689600000 is not after the previous candle");
    expect(r.stderr).toContain('line 4: l is not a number: "x"');
    r = await runCli(["backtest", "--timeframe", "1h", "--candles", csv]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--symbol is required/);
    r = await runCli(["backtest", "--symbol", "BTC_USD", "--timeframe", "2d", "--candles", csv]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--timeframe must be one of/);
    r = await runCli(["backtest", "--symbol", "BTC_USD", "--preset", "yolo", "--candles", csv]);
    expect(r.stderr).toMatch(/--preset 'yolo' is not in the strategies file/);
    r = await runCli(["backtest", "--symbol", "BTC_USD", "--candles", join(dir, "missing.csv")]);
    expect(r.code).toBe(2);
  });

  it("generates candles with the emulator's market process, reproducibly", async () => {
    const args = [
      "backtest",
      "--symbol",
      "ETH_USD",
      "--timeframe",
      "4h",
      "--preset",
      "intraday-aggressive",
      "--source",
      "emulator",
      "--seed",
      "5",
      "--from",
      "2025-01-01",
      "--to",
      "2025-12-01",
      "--json",
    ];
    const a = await runCli(args);
    const b = await runCli(args);
    expect(a.code).toBe(0);
    expect(b.stdout).toBe(a.stdout);
    const out = JSON.parse(a.stdout);
    expect(out.candles).toBe(334 * 6);
    expect(out.source).toBe("emulator market process, seed 5");
  });
});

describe("atp backtest --source rest (emulator over loopback)", () => {
  let emu: EmulatorHandle;
  beforeAll(async () => {
    emu = await startEmulator({ market_tick_ms: 0 }, { port: 0 });
  });
  afterAll(async () => {
    await emu.close();
  });

  it("pages public/get-candlestick through the client and backtests the closed candles", async () => {
    const H = 3_600_000;
    const end = Math.floor(emu.exchange.marketNow() / H) * H;
    const from = end - 700 * H;
    const r = await runCli([
      "backtest",
      "--symbol",
      "BTC_USD",
      "--timeframe",
      "1h",
      "--preset",
      "swing-aggressive",
      "--source",
      "rest",
      "--base-url",
      emu.baseUrl,
      "--from",
      String(from),
      "--to",
      String(end),
      "--json",
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.source).toBe(`rest ${emu.baseUrl}`);
    expect(out.candles).toBe(700); // three pages of at most 300
    expect(out.gaps).toBe(0);
  });
});
