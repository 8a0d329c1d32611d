/**
 * `atp doctor [--json] [--markdown [FILE]] [--order JSON]`: runs the auth and connectivity checklist
 * (src/diagnostics) on the current configuration, however broken, and names the cause, its evidence
 * and the exact fix. Human summary by default; `--json` prints the DoctorReport; `--markdown` writes
 * a shareable report (to FILE, or stdout). Logs (including the CRYPTO_COM_OUTBOUND_IP line) go to stderr.
 * Exit 0 when no problem is found, 1 when one is, 2 on a usage error. Never places an order.
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { createRuntime } from "../../app/runtime.js";
import { loadConfig } from "../../config/load.js";
import { diagnose, renderHuman, renderJson, renderMarkdown } from "../../diagnostics/index.js";
import { normaliseOrder, OrderInputError } from "../../diagnostics/order-check.js";
import type { FailingOrderInput } from "../../diagnostics/types.js";
import { isJsonObject, parseJsonBody } from "../../exchange/cryptocom/json-text.js";
import { usageError } from "../args.js";

export const summary = "Diagnose authentication and connectivity failures: cause, evidence, exact fix";

const USAGE =
  'atp doctor [--json] [--markdown [FILE]] [--order \'{"instrument_name":"BTC_USD","side":"SELL","quantity":"0.00011119"}\']';

const HELP = `usage: ${USAGE}

Runs, in about a second (at most ~8 s even if endpoints hang): configuration, signing self-test,
outbound IP, reachability, clock offset, signed read, trade-permission probe (a cancel of an order
that cannot exist; no order is ever placed), discriminating experiments, and (with --order) the
order's validation against the instrument rules. See docs/doctor.md.

  --json             print the report as JSON (verdict, causes, checks, outbound_ip, clock_offset_ms, ...)
  --markdown [FILE]  write a markdown report to FILE (or stdout)
  --order JSON       the order that failed: instrument_name, side, type, quantity | notional | amount, price
                     (decimals as strings; a JSON number is checked as a signature hazard)

Exit codes: 0 no problem, 1 problem found, 2 usage error.
`;

/** Splits `--markdown [FILE]` (an optional value parseArgs cannot express). */
function takeMarkdown(args: string[]): { rest: string[]; markdown: boolean; file: string | undefined } {
  const rest: string[] = [];
  let markdown = false;
  let file: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--markdown") {
      markdown = true;
      const next = args[i + 1];
      if (next !== undefined && !next.startsWith("-")) {
        file = next;
        i++;
      }
    } else if (a.startsWith("--markdown=")) {
      markdown = true;
      file = a.slice("--markdown=".length) || undefined;
    } else {
      rest.push(a);
    }
  }
  return { rest, markdown, file };
}

export function parseOrderFlag(text: string): FailingOrderInput {
  let v: ReturnType<typeof parseJsonBody>;
  try {
    v = parseJsonBody(text);
  } catch (err) {
    throw new Error(`--order is not valid JSON (${(err as Error).message})`);
  }
  if (!isJsonObject(v))
    throw new Error('--order must be a JSON object like {"instrument_name":"BTC_USD",...}');
  const order = v as unknown as FailingOrderInput;
  try {
    normaliseOrder(order);
  } catch (err) {
    if (err instanceof OrderInputError) throw new Error(`--order: ${err.message}`);
    throw err;
  }
  return order;
}

export async function run(args: string[]): Promise<number> {
  let json: boolean;
  let order: FailingOrderInput | undefined;
  const md = takeMarkdown(args);
  try {
    const { values, positionals } = parseArgs({
      args: md.rest,
      options: {
        json: { type: "boolean" },
        order: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      allowPositionals: true,
    });
    if (values.help) {
      process.stdout.write(HELP);
      return 0;
    }
    if (positionals.length > 0) throw new Error(`unexpected argument "${positionals[0]}"`);
    json = values.json ?? false;
    if (json && md.markdown && !md.file) {
      throw new Error("--json and --markdown both write to stdout; give --markdown a FILE");
    }
    order = values.order !== undefined ? parseOrderFlag(values.order) : undefined;
  } catch (err) {
    return usageError("doctor", err, USAGE);
  }

  const runtime = createRuntime(loadConfig(), { name: "doctor" });
  let report: Awaited<ReturnType<typeof diagnose>>;
  try {
    report = await diagnose({ config: runtime.report, order, logger: runtime.logger });
  } finally {
    await runtime.stop();
  }

  if (md.markdown) {
    const text = renderMarkdown(report, { order });
    if (md.file) {
      try {
        writeFileSync(md.file, text);
      } catch (err) {
        process.stderr.write(`atp doctor: cannot write ${md.file}: ${(err as Error).message}\n`);
        return 2;
      }
      if (!json) process.stdout.write(renderHuman(report));
      process.stderr.write(`atp doctor: markdown report written to ${md.file}\n`);
    } else {
      process.stdout.write(text);
    }
  }
  if (json) process.stdout.write(renderJson(report));
  else if (!md.markdown) process.stdout.write(renderHuman(report));
  return report.verdict === "ok" ? 0 : 1;
}
