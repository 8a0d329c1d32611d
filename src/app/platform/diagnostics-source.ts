/**
 * The doctor as the platform runs it (`DiagnosticsSource`): `diagnose()` on the runtime's doctor
 * configuration (the emulator's, in the demo), every report stored in `store.reports` with its
 * trigger ("startup", "api", …), and the latest outcome kept for the status source.
 *
 * Invariants:
 * - Never throws for a configuration, network or store problem: a report that cannot be stored is
 *   logged and still returned.
 * - Runs one at a time: a run asked for while one is in progress shares it.
 * - The report holds no secret (diagnose redacts); the key appears only as its fingerprint.
 */
import type { DiagnosticsSource } from "../../api/deps.js";
import type { ConfigReport } from "../../config/load.js";
import { diagnose } from "../../diagnostics/index.js";
import type { DoctorReport, FailingOrderInput } from "../../diagnostics/types.js";
import { type Logger, silentLogger } from "../../log/logger.js";
import type { Json, Store } from "../../store/types.js";
import { fingerprint } from "../../util/secrets.js";

export interface PlatformDiagnosticsOptions {
  /** The configuration to diagnose (read at each run: the emulator's exists only after start). */
  config: () => ConfigReport;
  store: Store;
  logger: Logger;
}

export class PlatformDiagnostics implements DiagnosticsSource {
  private running: Promise<DoctorReport> | undefined;
  private last: DoctorReport | undefined;

  constructor(private readonly opts: PlatformDiagnosticsOptions) {}

  get keyFingerprint(): string | null {
    try {
      const key = this.opts.config().config.exchange.apiKey;
      return key ? fingerprint(key) : null;
    } catch {
      return null;
    }
  }

  /** The latest report this process produced (undefined before the first run ends). */
  get latest(): DoctorReport | undefined {
    return this.last;
  }

  run(order?: Record<string, unknown>): Promise<DoctorReport> {
    return this.runAs("api", order);
  }

  /** Runs the doctor with `trigger` recorded in the stored report. */
  runAs(trigger: string, order?: Record<string, unknown>): Promise<DoctorReport> {
    this.running ??= this.once(trigger, order).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async once(trigger: string, order: Record<string, unknown> | undefined): Promise<DoctorReport> {
    const report = await diagnose({
      config: this.opts.config(),
      // the platform logs the outbound IP once, itself; the doctor's findings are in the report
      logger: silentLogger(),
      ...(order ? { order: order as FailingOrderInput } : {}),
    });
    this.last = report;
    const top = report.causes[0];
    try {
      await this.opts.store.reports.insert({
        trigger,
        context: (order ?? null) as Json,
        verdict: top ? `${top.id}: ${top.summary}` : report.verdict,
        topCause: top?.id,
        report: JSON.parse(JSON.stringify(report)) as Json,
      });
    } catch (err) {
      this.opts.logger.warn({ err }, "doctor: the report could not be stored");
    }
    return report;
  }
}
