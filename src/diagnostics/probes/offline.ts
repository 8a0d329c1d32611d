/**
 * The offline probes: the configuration findings that are not about the credentials (those are
 * assessed by credentials.ts), the signing self-test, and the failing order's shape and JSON numbers.
 * No network.
 */
import type { ConfigReport, Finding } from "../../config/load.js";
import { isAssessedFinding } from "../credentials.js";
import { type NormalisedOrder, normaliseOrder, OrderInputError } from "../order-check.js";
import { type NumberHazard, numberHazards, runSelfTest, type SelfTestResult } from "../self-test.js";
import type { DoctorContext, FailingOrderInput } from "../types.js";
import type { Durations } from "./run.js";

export interface ConfigReading {
  /** Config errors and warnings not about the credentials. */
  otherErrors: Finding[];
  otherWarnings: Finding[];
}

export interface SigningReading {
  selfTest: SelfTestResult;
  /** JSON numbers in the failing request or order (signature hazards). */
  hazards: NumberHazard[];
  order: NormalisedOrder | undefined;
  /** Why the failing order could not be read (its first shape problem). */
  orderProblem: string | undefined;
}

export function readConfig(config: ConfigReport, durations: Durations): ConfigReading {
  const t0 = performance.now();
  // findings assessCredentials turns into credential issues are not repeated as they are
  const reading = {
    otherErrors: config.errors.filter((e) => !isAssessedFinding(e)),
    otherWarnings: config.warnings.filter((w) => !isAssessedFinding(w)),
  };
  durations.add("config", performance.now() - t0);
  return reading;
}

/** The order from the context, or from the failing request when it is a create-order. */
export function orderInput(ctx: DoctorContext): FailingOrderInput | undefined {
  if (ctx.order) return ctx.order;
  const r = ctx.request;
  if (r && /create-order$/.test(r.method) && r.params && typeof r.params === "object") {
    return r.params as FailingOrderInput;
  }
  return undefined;
}

export function readSigning(ctx: DoctorContext, durations: Durations): SigningReading {
  const t0 = performance.now();
  const selfTest = runSelfTest();
  const hazards: NumberHazard[] = ctx.request?.params !== undefined ? numberHazards(ctx.request.params) : [];
  let order: NormalisedOrder | undefined;
  let orderProblem: string | undefined;
  const oi = orderInput(ctx);
  if (oi) {
    try {
      order = normaliseOrder(oi);
      for (const h of order.numbers) if (!hazards.some((x) => x.path === h.path)) hazards.push(h);
    } catch (err) {
      if (!(err instanceof OrderInputError)) throw err;
      orderProblem = err.message;
    }
  }
  durations.add("signing", performance.now() - t0);
  return { selfTest, hazards, order, orderProblem };
}
