/**
 * The doctor's stored report (DiagnosticsState.last.report is `unknown` in the contract: the
 * doctor's JSON as stored) read defensively into what the Diagnostics page shows. Anything missing or
 * of the wrong type becomes empty, never an exception.
 */
export interface ReportCause {
  id: string;
  confidence: string;
  summary: string;
  evidence: string[];
  fix: string[];
}

export interface ReportCheck {
  id: string;
  status: string;
  detail: string;
}

export interface ReportView {
  causes: ReportCause[];
  checks: ReportCheck[];
  outboundIp: string | null;
  clockOffsetMs: number | null;
  baseUrl: string | null;
  viaProxy: boolean | null;
}

function field(o: unknown, name: string): unknown {
  if (typeof o !== "object" || o === null) return undefined;
  return Object.getOwnPropertyDescriptor(o, name)?.value;
}

const str = (v: unknown): string => (typeof v === "string" ? v : "");
const strs = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export function reportView(report: unknown): ReportView {
  const ip = field(report, "outbound_ip");
  const offset = field(report, "clock_offset_ms");
  const base = field(report, "base_url");
  const proxy = field(report, "via_proxy");
  return {
    causes: list(field(report, "causes")).map((c) => ({
      id: str(field(c, "id")),
      confidence: str(field(c, "confidence")),
      summary: str(field(c, "summary")),
      evidence: strs(field(c, "evidence")),
      fix: strs(field(c, "fix")),
    })),
    checks: list(field(report, "checks")).map((c) => ({
      id: str(field(c, "id")),
      status: str(field(c, "status")),
      detail: str(field(c, "detail")),
    })),
    outboundIp: typeof ip === "string" ? ip : null,
    clockOffsetMs: typeof offset === "number" ? offset : null,
    baseUrl: typeof base === "string" ? base : null,
    viaProxy: typeof proxy === "boolean" ? proxy : null,
  };
}
