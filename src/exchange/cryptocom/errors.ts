/**
 * One error type for everything the exchange (or the path to it) answers with. Classification is
 * by exchange code first, transport failure second, HTTP status only when the body was not JSON.
 * Message text is carried for humans and never inspected. Its disposition (stop trading for the
 * account / skip this action / retry later) follows from the category (src/domain/errors.ts).
 */
import { AtpError, CATEGORY_DISPOSITION, type Disposition } from "../../domain/errors.js";
import { type CodeInfo, codeInfo, type ErrorCategory, isRetryableCategory } from "./error-codes.js";

export interface ExchangeErrorInit {
  method: string;
  httpStatus?: number | undefined;
  code?: number | undefined;
  category?: ErrorCategory | undefined;
  message?: string | undefined;
  /** The raw `result` when a non-zero code came with one (reference §2.2). */
  result?: unknown;
  /** For transport failures: whether the request had been fully written (an order may exist). */
  ambiguous?: boolean | undefined;
  cause?: unknown;
}

export class ExchangeError extends AtpError {
  readonly method: string;
  readonly httpStatus: number | undefined;
  readonly code: number | undefined;
  readonly codeName: string;
  readonly category: ErrorCategory;
  readonly retryable: boolean;
  readonly info: CodeInfo | undefined;
  readonly result: unknown;
  readonly ambiguous: boolean;
  readonly exchangeMessage: string | undefined;

  constructor(init: ExchangeErrorInit) {
    const info = init.code !== undefined ? codeInfo(init.code) : undefined;
    const category = init.category ?? info?.category ?? categoryForHttp(init.httpStatus);
    const codeName = info?.name ?? category.toUpperCase();
    const where = init.code !== undefined ? `${init.code} ${codeName}` : codeName;
    const http = init.httpStatus !== undefined ? ` (HTTP ${init.httpStatus})` : "";
    super(`${init.method}: ${where}${http}${init.message ? `: ${init.message}` : ""}`, { cause: init.cause });
    this.name = "ExchangeError";
    this.method = init.method;
    this.httpStatus = init.httpStatus;
    this.code = init.code;
    this.codeName = codeName;
    this.category = category;
    this.retryable = isRetryableCategory(category);
    this.info = info;
    this.result = init.result;
    this.ambiguous = init.ambiguous ?? false;
    this.exchangeMessage = init.message;
  }

  /** `exchange.<category>`, e.g. `exchange.rate_limit`. */
  get errorCode(): string {
    return `exchange.${this.category}`;
  }

  /** From the category: auth family fatal, transient retry, the rest skip (CATEGORY_DISPOSITION). */
  get disposition(): Disposition {
    return CATEGORY_DISPOSITION[this.category];
  }

  /** True for the failures the doctor should examine (40101/40103/40102/permission). */
  get isAuthFailure(): boolean {
    return (
      this.category === "auth" ||
      this.category === "ip_not_whitelisted" ||
      this.category === "nonce" ||
      this.category === "permission"
    );
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      method: this.method,
      http_status: this.httpStatus,
      code: this.code,
      code_name: this.codeName,
      category: this.category,
      retryable: this.retryable,
      ambiguous: this.ambiguous,
      message: this.exchangeMessage,
      meaning: this.info?.meaning,
      remedy: this.info?.remedy,
    };
  }
}

/** Only used when the body was not JSON: the HTTP status is all we have. */
export function categoryForHttp(status: number | undefined): ErrorCategory {
  if (status === undefined) return "unknown";
  if (status === 401 || status === 403) return "auth";
  if (status === 429) return "rate_limit";
  if (status === 408 || status === 504) return "timeout";
  if (status === 503) return "maintenance";
  if (status >= 500) return "server";
  if (status >= 400) return "bad_request";
  return "unknown";
}
