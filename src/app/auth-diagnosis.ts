/**
 * Composition root: the doctor as the auth circuit breaker calls it. The breaker (src/trading) may
 * not import the doctor (src/diagnostics); this adapter hands it a function that runs `diagnose()`
 * once on the current configuration with the failing request as context, and returns the verdict,
 * the top cause and the report as stored JSON (the report never holds a secret: diagnose redacts).
 */
import type { ConfigReport } from "../config/load.js";
import { diagnose } from "../diagnostics/index.js";
import type { Logger } from "../log/logger.js";
import type { Json } from "../store/types.js";
import type { AuthDiagnose } from "../trading/breaker/index.js";

export function authDiagnosis(config: ConfigReport, logger: Logger): AuthDiagnose {
  return async ({ method, code, request }) => {
    const report = await diagnose({
      config,
      logger,
      request: { method, params: request ?? undefined },
      error: { method, ...(code !== undefined ? { code } : {}) },
    });
    const top = report.causes[0];
    return {
      verdict: top ? `${top.id}: ${top.summary}` : report.verdict,
      ...(top ? { topCause: top.id } : {}),
      report: JSON.parse(JSON.stringify(report)) as Json,
    };
  };
}
