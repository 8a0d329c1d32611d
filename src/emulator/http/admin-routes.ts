/**
 * HTTP admin API under /emulator/admin/ (loopback callers only, 403 otherwise). Plain JSON in and
 * out (not the exchange envelope); errors are `{"error": "..."}` with 400/403/404/405, and 413 for a
 * body over 1 MiB.
 *
 *   GET  /emulator/admin/state                 seed, speed, clocks, counts
 *   GET  /emulator/admin/keys                  keys (secrets masked)
 *   PUT  /emulator/admin/keys      {keys:[…]}  replace all keys
 *   POST /emulator/admin/keys      {…key}      add or replace one key
 *   DELETE /emulator/admin/keys/{api_key}
 *   GET  /emulator/admin/balances?account=main
 *   PUT  /emulator/admin/balances  {account, balances:{USD:"100"}}
 *   GET  /emulator/admin/clock                 {now, offset_ms}
 *   PUT  /emulator/admin/clock     {offset_ms}
 *   GET|PUT|POST|DELETE /emulator/admin/faults ({faults:[…]} / {…fault})
 *   GET  /emulator/admin/price?instrument_name=BTC_USD
 *   POST /emulator/admin/price     {instrument_name, price} | {instrument_name, nudge_pct}
 *   POST /emulator/admin/tick      {count}
 *   PUT  /emulator/admin/tradable  {instrument_name, tradable}
 *   GET  /emulator/admin/orders?after=&limit=  the order log, a page at a time (cursor `after` = seq)
 *   POST /emulator/admin/ws-drop               drop every WebSocket connection now
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { readBody } from "../../util/http-body.js";
import { AdminError, type EmulatorAdmin } from "../admin.js";
import type { EmulatedExchange } from "../exchange.js";
import { isLoopback } from "../keys.js";

type Json = Record<string, unknown>;

/** Admin bodies are small JSON objects (a key list is the largest); more is refused with 413. */
const MAX_BODY = 1 << 20;

export function adminRouter(ex: EmulatedExchange, admin: EmulatorAdmin) {
  return (req: IncomingMessage, res: ServerResponse, path: string, query: string): void => {
    const send = (status: number, body: unknown) => {
      const text = JSON.stringify(body);
      res.writeHead(status, {
        "Content-Type": "application/json",
        "Content-Length": Buffer.byteLength(text),
      });
      res.end(text);
    };
    if (!isLoopback(req.socket.remoteAddress)) {
      send(403, { error: "the admin API answers loopback callers only" });
      return;
    }
    void readBody(req, MAX_BODY).then((text) => {
      if (text === undefined) {
        send(413, { error: `body must be at most ${MAX_BODY} bytes` });
        return;
      }
      let body: Json = {};
      if (text.trim() !== "") {
        try {
          const parsed: unknown = JSON.parse(text);
          if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
            throw new Error("not an object");
          body = parsed as Json;
        } catch (err) {
          send(400, { error: `body must be a JSON object (${(err as Error).message})` });
          return;
        }
      }
      try {
        const out = dispatch(
          ex,
          admin,
          req.method ?? "GET",
          path.replace(/\/+$/, ""),
          new URLSearchParams(query),
          body,
        );
        send(200, out ?? { ok: true });
      } catch (err) {
        if (err instanceof AdminError) send(err.status, { error: err.message });
        else send(500, { error: (err as Error).message });
      }
    });
  };
}

function str(body: Json, name: string): string {
  const v = body[name];
  if (typeof v !== "string" || v === "") throw new AdminError(400, `${name}: required string`);
  return v;
}

/** A query parameter as a number when it is one (validation and its message are the admin's). */
function intParam(q: URLSearchParams, name: string): unknown {
  const v = q.get(name);
  if (v === null || v === "") return undefined;
  return /^-?\d+$/.test(v) ? Number(v) : v;
}

function dispatch(
  ex: EmulatedExchange,
  admin: EmulatorAdmin,
  method: string,
  path: string,
  q: URLSearchParams,
  body: Json,
): unknown {
  const route = path.slice("/emulator/admin".length) || "/";
  const key = `${method} ${route}`;
  if (route.startsWith("/keys/") && method === "DELETE") {
    admin.removeKey(decodeURIComponent(route.slice(6)));
    return undefined;
  }
  switch (key) {
    case "GET /":
    case "GET /state":
      return {
        seed: ex.config.seed,
        speed: ex.config.speed,
        now: ex.clock.now(),
        clock_offset_ms: ex.clock.offset,
        market_time: ex.marketNow(),
        instruments: ex.market.symbols(),
        accounts: admin.accounts(),
        orders_received: ex.orderLog.received,
        orders_dropped: ex.orderLog.dropped,
        open_orders: admin.openOrderCount(),
        orders_forgotten: admin.forgottenOrderCount(),
      };
    case "GET /keys":
      return { keys: admin.keys() };
    case "PUT /keys":
      admin.setKeys(body.keys as never);
      return { keys: admin.keys() };
    case "POST /keys":
      admin.upsertKey(body as never);
      return { keys: admin.keys() };
    case "GET /balances": {
      const account = q.get("account") ?? "main";
      return { account, balances: admin.balances(account) };
    }
    case "PUT /balances": {
      const account = str(body, "account");
      admin.setBalances(account, body.balances as never);
      return { account, balances: admin.balances(account) };
    }
    case "GET /clock":
      return admin.clock();
    case "PUT /clock":
      admin.setClockOffset(body.offset_ms as never);
      return admin.clock();
    case "GET /faults":
      return { faults: admin.faults() };
    case "PUT /faults":
      admin.setFaults(body.faults as never);
      return { faults: admin.faults() };
    case "POST /faults":
      admin.addFault(body as never);
      return { faults: admin.faults() };
    case "DELETE /faults":
      admin.clearFaults();
      return { faults: [] };
    case "GET /price": {
      const symbol = q.get("instrument_name") ?? "";
      return { instrument_name: symbol, price: admin.price(symbol) };
    }
    case "POST /price": {
      const symbol = str(body, "instrument_name");
      const price =
        body.nudge_pct !== undefined
          ? admin.nudgePrice(symbol, body.nudge_pct as number)
          : admin.setPrice(symbol, str(body, "price"));
      return { instrument_name: symbol, price };
    }
    case "POST /tick":
      admin.tick((body.count as number | undefined) ?? 1);
      return { market_time: ex.marketNow() };
    case "PUT /tradable":
      admin.setTradable(str(body, "instrument_name"), body.tradable as boolean);
      return undefined;
    case "GET /orders":
      return admin.ordersPage({ after: intParam(q, "after"), limit: intParam(q, "limit") });
    case "POST /ws-drop":
      return { dropped: admin.dropWebSockets() };
    default:
      throw new AdminError(404, `no admin route ${method} ${path}`);
  }
}
