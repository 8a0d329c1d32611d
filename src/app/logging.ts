/** Composition root, logging part: a logger that knows every configured secret. */
import type { ConfigReport } from "../config/load.js";
import { createLogger, type Logger, type LoggerOptions } from "../log/logger.js";

export function loggerFor(report: ConfigReport, opts: Omit<LoggerOptions, "secrets"> = {}): Logger {
  return createLogger({ ...opts, secrets: report.secrets });
}
