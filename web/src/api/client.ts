/**
 * The dashboard's only way to the API: one fetch wrapper and a typed call per route of the
 * contract (src/api/contract/types.ts). Same origin, the session cookie goes along by itself.
 *
 * Invariants:
 * - Bodies are read and passed on as the API sent them: decimals stay strings, nothing is parsed
 *   to a number here.
 * - Every mutation carries `X-CSRF-Token` when the page has one; a 403 refreshes it once from
 *   GET /api/auth/session and retries.
 * - A failure is an `ApiRequestError` with the status and the contract's error code and message;
 *   a 401 (outside the login itself) also asks the page for a login.
 */
import { announceUnauthorized } from "../state/login.js";
import { csrfOf, csrfToken, rememberCsrf } from "./session.js";
import type * as T from "./types.js";

export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown,
  ) {
    super(message);
    this.name = "ApiRequestError";
  }
}

type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

async function errorOf(res: Response): Promise<ApiRequestError> {
  let body: Partial<T.ApiErrorBody> | null = null;
  try {
    body = (await res.json()) as Partial<T.ApiErrorBody>;
  } catch {
    body = null;
  }
  const e = body?.error;
  return new ApiRequestError(
    res.status,
    e?.code ?? `http_${res.status}`,
    e?.message ?? `${res.status} ${res.statusText}`,
    e?.details ?? null,
  );
}

async function send(method: Method, path: string, body: unknown): Promise<Response> {
  const headers = new Headers({ accept: "application/json" });
  if (body !== undefined) headers.set("content-type", "application/json");
  const csrf = csrfToken();
  if (method !== "GET" && csrf) headers.set("x-csrf-token", csrf);
  return fetch(path, {
    method,
    headers,
    credentials: "same-origin",
    body: body === undefined ? null : JSON.stringify(body),
  });
}

export async function call<R>(method: Method, path: string, body?: unknown): Promise<R> {
  let res = await send(method, path, body);
  if (res.status === 403 && method !== "GET" && (await refreshSession()))
    res = await send(method, path, body);
  if (!res.ok) {
    if (res.status === 401 && path !== "/api/auth/login") announceUnauthorized();
    throw await errorOf(res);
  }
  if (res.status === 204) return undefined as R;
  const text = await res.text();
  return (text === "" ? undefined : JSON.parse(text)) as R;
}

/** Reads the CSRF token of the current cookie session; false when there is none. */
export async function refreshSession(): Promise<boolean> {
  try {
    const res = await fetch("/api/auth/session", { credentials: "same-origin" });
    if (!res.ok) return false;
    const csrf = csrfOf(await res.json());
    if (csrf) rememberCsrf(csrf);
    return csrf !== null;
  } catch {
    return false;
  }
}

const enc = encodeURIComponent;

export const api = {
  async login(token: string): Promise<void> {
    const input: T.LoginInput = { token };
    const answer = await call<unknown>("POST", "/api/auth/login", input);
    rememberCsrf(csrfOf(answer));
    if (!csrfToken()) await refreshSession();
  },
  state: () => call<T.DashboardState>("GET", "/api/dashboard/state"),
  addCoin: (input: T.ApiWatchlistInput) => call<T.ApiWatchlistItem>("POST", "/api/watchlist", input),
  editCoin: (symbol: string, patch: T.ApiWatchlistPatch) =>
    call<T.ApiWatchlistItem>("PATCH", `/api/watchlist/${enc(symbol)}`, patch),
  removeCoin: (symbol: string) => call<void>("DELETE", `/api/watchlist/${enc(symbol)}`),
  candles: (symbol: string, timeframe: string, count: number) =>
    call<T.ApiCandleSeries>(
      "GET",
      `/api/candles/${enc(symbol)}?timeframe=${enc(timeframe)}&count=${String(count)}`,
    ),
  signals: (symbol: string) => call<T.SignalDetail>("GET", `/api/signals/${enc(symbol)}`),
  orders: (query: { status?: string; symbol?: string; role?: string; cursor?: string }) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v) q.set(k, v);
    return call<T.ApiOrderPage>("GET", `/api/orders?${q.toString()}`);
  },
  cancelOrder: (id: string) => call<unknown>("POST", `/api/orders/${enc(id)}/cancel`),
  positions: () => call<T.ApiPosition[]>("GET", "/api/positions"),
  diagnostics: () => call<T.DiagnosticsState>("GET", "/api/diagnostics"),
  runDiagnosis: (input: T.DiagnosisRunInput = {}) => call<unknown>("POST", "/api/diagnostics/run", input),
  trading: () => call<T.TradingState>("GET", "/api/trading"),
  setLive: (input: T.LiveSwitchInput) => call<T.TradingState>("POST", "/api/trading/live", input),
  setKill: (input: T.KillSwitchInput) => call<T.TradingState>("POST", "/api/trading/kill-switch", input),
  settings: () => call<T.ApiSettings>("GET", "/api/settings"),
  patchSettings: (patch: T.SettingsPatch) => call<T.ApiSettings>("PATCH", "/api/settings", patch),
  async webhooks(): Promise<T.WebhookInfo[]> {
    const body = await call<T.WebhookInfo[] | { items: T.WebhookInfo[] }>("GET", "/api/webhooks");
    return Array.isArray(body) ? body : body.items;
  },
  createWebhook: (name: string) => call<T.WebhookCreated>("POST", "/api/webhooks", { name }),
  deleteWebhook: (name: string) => call<void>("DELETE", `/api/webhooks/${enc(name)}`),
  demoFault: () => call<T.DemoFaultState>("GET", "/api/demo/fault"),
  setDemoFault: (input: T.DemoFaultInput) => call<T.DemoFaultState>("POST", "/api/demo/fault", input),
};

/** Words for a failure, with the field problems of a validation error. */
export function describeError(e: unknown): string {
  if (!(e instanceof ApiRequestError)) return e instanceof Error ? e.message : String(e);
  if (e.code === "validation" && Array.isArray(e.details)) {
    const parts = (e.details as { field?: unknown; problem?: unknown }[]).map(
      (d) => `${String(d.field ?? "?")}: ${String(d.problem ?? "invalid")}`,
    );
    if (parts.length > 0) return parts.join("; ");
  }
  return e.message;
}
