/**
 * Endpoint table (reference §5, §6, §9): every method atp calls, whether it is public or private,
 * the key permission it needs and its rate-limit class. The client's token buckets and the
 * emulator's limiter and permission checks both read this one table.
 */

export type Permission = "read" | "trade" | "withdraw";

/** A rate-limit class: `limit` requests per `windowMs`, keyed per API key (private) or per IP (public). */
export interface RateLimit {
  limit: number;
  windowMs: number;
}

export interface Endpoint {
  method: string;
  access: "public" | "private";
  /** Permission the API key needs (public endpoints need none). */
  permission?: Permission;
  rateLimit: RateLimit;
  /** Relative cost as in ccxt's table (1 = one public request), documentation only. */
  cost: number;
}

export const LIMITS = {
  public: { limit: 100, windowMs: 1_000 },
  orderEntry: { limit: 15, windowMs: 100 },
  orderDetail: { limit: 30, windowMs: 100 },
  history: { limit: 1, windowMs: 1_000 },
  otherPrivate: { limit: 3, windowMs: 100 },
} as const satisfies Record<string, RateLimit>;

function pub(method: string): Endpoint {
  return { method, access: "public", rateLimit: LIMITS.public, cost: 1 };
}
function read(method: string, rateLimit: RateLimit = LIMITS.otherPrivate, cost = 10 / 3): Endpoint {
  return { method, access: "private", permission: "read", rateLimit, cost };
}
function trade(method: string, rateLimit: RateLimit = LIMITS.orderEntry, cost = 2 / 3): Endpoint {
  return { method, access: "private", permission: "trade", rateLimit, cost };
}

export const ENDPOINTS: readonly Endpoint[] = [
  pub("public/get-instruments"),
  pub("public/get-tickers"),
  pub("public/get-book"),
  pub("public/get-candlestick"),
  pub("public/get-trades"),
  read("private/user-balance"),
  read("private/get-open-orders"),
  read("private/get-order-detail", LIMITS.orderDetail, 1 / 3),
  read("private/get-order-history", LIMITS.history, 100),
  read("private/get-trades", LIMITS.history, 100),
  read("private/advanced/get-open-orders"),
  read("private/advanced/get-order-detail", LIMITS.orderDetail, 1 / 3),
  read("private/advanced/get-order-history", LIMITS.history, 100),
  trade("private/create-order"),
  trade("private/cancel-order"),
  trade("private/cancel-all-orders"),
  trade("private/advanced/create-order", LIMITS.otherPrivate, 10 / 3),
  trade("private/advanced/create-oco", LIMITS.otherPrivate, 10 / 3),
  trade("private/advanced/cancel-oco", LIMITS.otherPrivate, 10 / 3),
  trade("private/advanced/cancel-order", LIMITS.otherPrivate, 10 / 3),
  trade("private/advanced/cancel-all-orders", LIMITS.otherPrivate, 10 / 3),
  // read by the doctor and the proxy's /health to tell whether the key can withdraw (reference §9:
  // it needs the key's withdrawal setting); never called to move funds
  {
    method: "private/get-deposit-address",
    access: "private",
    permission: "withdraw",
    rateLimit: LIMITS.otherPrivate,
    cost: 10 / 3,
  },
  {
    method: "private/create-withdrawal",
    access: "private",
    permission: "withdraw",
    rateLimit: LIMITS.otherPrivate,
    cost: 10 / 3,
  },
];

const byMethod = new Map(ENDPOINTS.map((e) => [e.method, e]));

export function endpoint(method: string): Endpoint | undefined {
  return byMethod.get(method);
}

/** The rate-limit class of any method, including ones not in the table (other private: 3/100 ms). */
export function rateLimitFor(method: string): RateLimit {
  const e = byMethod.get(method);
  if (e) return e.rateLimit;
  return method.startsWith("public/") ? LIMITS.public : LIMITS.otherPrivate;
}
