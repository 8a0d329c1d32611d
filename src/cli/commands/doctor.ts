/**
 * `atp doctor [--json] [--markdown [FILE]] [--order JSON]`: runs the auth and connectivity checklist
 * (src/diagnostics) on the current configuration, however broken, and names the cause, its evidence
 * and the exact fix. Human summary by default; `--json` prints the DoctorReport; `--markdown` writes
 * a shareable report (to FILE, or stdout). Logs (including the CRYPTO_COM_OUTBOUND_IP line) go to stderr.
 * Exit 0 when no problem is found, 1 when one is, 2 on a usage error. Never places an order.
 */

import { writeFileSync } from "node:fs";
import { createRuntime } from "../../app/runtime.js";
import { loadConfig } from "../../config/load.js";
import { diagnose, renderHuman, renderJson, renderMarkdown } from "../../diagnostics/index.js";
import { normaliseOrder, OrderInputError } from "../../diagnostics/order-check.js";
import type { FailingOrderInput } from "../../diagnostics/types.js";
import { isJsonObject, parseJsonBody } from "../../domain/json-text.js";
import { type CommandContext, defineCommand, type OptionValues, option } from "../define-command.js";

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

const options = {
  json: option.flag("print the report as JSON (verdict, causes, checks, outbound_ip, clock_offset_ms, ...)"),
  markdown: option.optionalValue("write a markdown report to FILE (or stdout)", { value: "FILE" }),
  order: option.custom(
    "the order that failed: instrument_name, side, type, quantity | notional | amount, price\n(decimals as strings; a JSON number is checked as a signature hazard), e.g.\n" +
      '\'{"instrument_name":"BTC_USD","side":"SELL","quantity":"0.00011119"}\'',
    (text) => parseOrderFlag(text),
    { value: "JSON" },
  ),
};

export const command = defineCommand({
  name: "doctor",
  summary: "Diagnose authentication and connectivity failures: cause, evidence, exact fix",
  description: `Runs, in about a second (at most ~8 s even if endpoints hang): configuration, signing self-test,
outbound IP, reachability, clock offset, signed read, trade-permission probe (a cancel of an order
that cannot exist; no order is ever placed), discriminating experiments, and (with --order) the
order's validation against the instrument rules. See docs/doctor.md.`,
  notes: "Exit codes: 0 no problem, 1 problem found, 2 usage error.",
  options,
  run,
});

async function run(values: OptionValues<typeof options>, ctx: CommandContext): Promise<number> {
  const { json, order } = values;
  const md = {
    markdown: values.markdown !== undefined,
    file: typeof values.markdown === "string" ? values.markdown : undefined,
  };
  if (json && md.markdown && !md.file)
    return ctx.usageError("--json and --markdown both write to stdout; give --markdown a FILE");

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
