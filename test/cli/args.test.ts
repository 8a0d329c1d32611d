/**
 * Command names and numeric options from the command line, through the CLI's main() in-process:
 * built-in object property names are unknown commands, negative ids are values, and every port,
 * duration, count and seed is range-checked with a message naming the option and its range (exit 2).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { intOption, joinNegativeValues, numberOption } from "../../src/cli/args.js";
import { runMain } from "../helpers/in-process.js";

const cwd = mkdtempSync(join(tmpdir(), "atp-args-"));

describe("command names are looked up as own entries", () => {
  for (const name of ["constructor", "toString", "__proto__", "hasOwnProperty", "valueOf"]) {
    it(`atp ${name} is an unknown command (exit 2), not a TypeError`, async () => {
      const r = await runMain([name], { cwd });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`unknown command '${name}'`);
      expect(r.stderr).not.toMatch(/TypeError|\n\s+at /);
    });
  }
});

describe("atp sign --id accepts a negative request id", () => {
  // the "null-value" known-answer vector of the Crypto.com reference (id -1, key "token", secret "secretKey")
  const env = { EXCHANGE_CUSTOM_API_KEY: "token", EXCHANGE_CUSTOM_API_SECRET: "secretKey" };
  const params =
    '{"client_wid":"my_withdrawal_002","currency":"BTC","amount":"1","address":"XYZ","address_tag":"","network_id":null}';
  for (const form of [["--id", "-1"], ["--id=-1"]]) {
    it(`${form.join(" ")} signs as the reference vector does`, async () => {
      const r = await runMain(
        [
          "sign",
          "--method",
          "private/create-withdrawal",
          "--params",
          params,
          ...form,
          "--nonce",
          "1607063412000",
          "--json",
        ],
        { cwd, env },
      );
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(out.id).toBe(-1);
      expect(out.sig).toBe("d97d7f77a10b62edd3b179b4152bee2183c519d93ec90c4e3014cc1f60eb4a03");
    });
  }

  it("still refuses an id that is not an integer, naming the option", async () => {
    const r = await runMain(["sign", "--method", "private/user-balance", "--id", "-1.5"], { cwd, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--id must be an integer/);
  });
});

describe("ports, durations and counts are range-checked (exit 2, option and range named)", () => {
  const cases: [string[], RegExp][] = [
    [["demo", "--port", "70000"], /--port must be an integer from 0 to 65535, got "70000"/],
    [["demo", "--speed", "100001"], /--speed must be an integer from 1 to 100000, got "100001"/],
    [["demo", "--interval", "3000000"], /--interval must be an integer from 1 to 86400 seconds/],
    [["demo", "--interval", "0"], /--interval must be an integer from 1 to 86400 seconds/],
    [["emulator", "--port", "65536"], /--port must be an integer from 0 to 65535/],
    [["emulator", "--speed", "100001"], /--speed must be a positive number up to 100000/],
    [["emulator", "--speed", "0"], /--speed must be a positive number up to 100000/],
    [["emulator", "--seed", "4294967296"], /--seed must be an integer from 0 to 4294967295/],
    [
      ["backtest", "--symbol", "BTC_USD", "--source", "emulator", "--seed", "-1"],
      /--seed must be an integer from 0 to 4294967295/,
    ],
    [["sign", "--method", "x", "--nonce", "-5"], /--nonce must be an integer from 0 to/],
    [["test-connection", "--deadline", "0"], /--deadline must be an integer from 1 to 600 seconds/],
  ];
  for (const [args, message] of cases) {
    it(args.join(" "), async () => {
      const r = await runMain(args, { cwd });
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.code).toBe(2);
    });
  }
});

describe("the shared option parsers", () => {
  it("intOption takes integers in range and names the range otherwise", () => {
    expect(intOption("n", undefined, { min: 0, max: 9 })).toBeUndefined();
    expect(intOption("n", "9", { min: 0, max: 9 })).toBe(9);
    expect(intOption("n", "-3", { min: -5, max: 9 })).toBe(-3);
    for (const bad of ["10", "-1", "1.0", "1e3", "", "0x1", "9007199254740993"])
      expect(() => intOption("n", bad, { min: 0, max: 9 })).toThrow(/--n must be an integer from 0 to 9/);
  });

  it("numberOption takes decimals, with an exclusive lower bound when asked", () => {
    expect(numberOption("s", "0.5", { min: 0, max: 10, minExclusive: true })).toBe(0.5);
    for (const bad of ["0", "11", "abc", "Infinity", "NaN", "1e400"])
      expect(() => numberOption("s", bad, { min: 0, max: 10, minExclusive: true })).toThrow(
        /--s must be a positive number up to 10, got/,
      );
  });

  it("joinNegativeValues joins only the named options with a negative number after them", () => {
    expect(joinNegativeValues(["--id", "-1", "--json"], ["id"])).toEqual(["--id=-1", "--json"]);
    expect(joinNegativeValues(["--id", "--json"], ["id"])).toEqual(["--id", "--json"]);
    expect(joinNegativeValues(["--seed", "-1"], ["id"])).toEqual(["--seed", "-1"]);
  });
});
