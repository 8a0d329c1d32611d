/**
 * The methods the emulator serves, with their access (public/private), key permission and rate-limit
 * class. Permissions and limits come from the shared endpoint table (src/exchange/cryptocom/
 * endpoints.ts); the few methods it does not list are declared here. Method names come from the
 * request URL or message, so every lookup goes through a Map (`constructor`, `__proto__` or
 * `toString` are unknown methods like any other: 40002).
 */
import {
  endpoint,
  LIMITS,
  type Permission,
  type RateLimit,
  rateLimitFor,
} from "../../exchange/cryptocom/endpoints.js";
import type { Handler } from "../exchange.js";
import { ACCOUNT_METHODS } from "./account.js";
import { ADVANCED_METHODS } from "./advanced.js";
import { ORDER_METHODS } from "./orders.js";
import { PUBLIC_METHODS } from "./public.js";

export interface MethodInfo {
  method: string;
  access: "public" | "private";
  permission: Permission | undefined;
  rateLimit: RateLimit;
  handler: Handler | undefined;
}

/** Methods served here but absent from the shared endpoint table. */
const EXTRA = new Map<
  string,
  { access: "public" | "private"; permission?: Permission; rateLimit: RateLimit }
>([
  [
    "private/get-currency-networks",
    { access: "private", permission: "read", rateLimit: LIMITS.otherPrivate },
  ],
]);

const HANDLERS = new Map<string, Handler>([
  ...PUBLIC_METHODS,
  ...ACCOUNT_METHODS,
  ...ORDER_METHODS,
  ...ADVANCED_METHODS,
]);

const cache = new Map<string, MethodInfo | undefined>();

/** Method metadata; undefined for a name that is neither public/ nor private/. */
export function methodInfo(method: string): MethodInfo | undefined {
  if (cache.has(method)) return cache.get(method);
  let info: MethodInfo | undefined;
  const e = endpoint(method);
  const extra = EXTRA.get(method);
  if (e) {
    info = {
      method,
      access: e.access,
      permission: e.permission,
      rateLimit: e.rateLimit,
      handler: HANDLERS.get(method),
    };
  } else if (extra) {
    info = {
      method,
      access: extra.access,
      permission: extra.permission,
      rateLimit: extra.rateLimit,
      handler: HANDLERS.get(method),
    };
  } else if (method.startsWith("public/") || method.startsWith("private/")) {
    info = {
      method,
      access: method.startsWith("public/") ? "public" : "private",
      permission: undefined,
      rateLimit: rateLimitFor(method),
      handler: HANDLERS.get(method),
    };
  }
  if (cache.size < 10_000) cache.set(method, info);
  return info;
}

export function servedMethods(): string[] {
  return [...HANDLERS.keys()].sort();
}
