/**
 * The channel grammar of the WebSocket sockets (reference §7): which names a subscribe request may
 * carry and what each subscription remembers.
 *
 * Market socket: `ticker.{i}`, `trade.{i}`, `book.{i}` / `book.{i}.{depth}` (depth 10, 50 or 150;
 * default 50; `params.book_subscription_type: "SNAPSHOT"` for snapshots instead of deltas) and
 * `candlestick.{timeframe}.{i}` (every timeframe and legacy alias of the candle table).
 * User socket: `user.balance`, `user.order[.{i}]`, `user.trade[.{i}]`, `user.advanced.order[.{i}]`
 * (also spelled `user.advance.order`). Instruments must exist; anything else is not a channel.
 * Names are compared as strings and looked up in Maps, never as object properties.
 */
import type { JsonObject } from "../../domain/json-text.js";
import type { Timeframe } from "../../exchange/cryptocom/constants.js";
import type { WireLevel } from "../market/book.js";
import { timeframeOf } from "../market/candles.js";
import type { SocketKind } from "./connection.js";

const BOOK_DEPTHS = new Set([10, 50, 150]);
const DEFAULT_BOOK_DEPTH = 50;

/** A book subscription: the levels last sent and the `u` of the last message (the next `pu`). */
export interface BookSub {
  kind: "book";
  symbol: string;
  depth: number;
  snapshotOnly: boolean;
  lastU: number;
  view: { bids: WireLevel[]; asks: WireLevel[] };
  /** Emulator clock time of the last message (the 5 s book heartbeat counts from it). */
  lastSent: number;
}
export interface SimpleSub {
  kind: "ticker" | "trade" | "candlestick";
  symbol: string;
  tf?: Timeframe;
  /** The timeframe as the client wrote it (echoed in `interval`). */
  tfText?: string;
}
export interface UserSub {
  kind: "user";
  channel: "user.balance" | "user.order" | "user.trade" | "user.advanced.order";
  instrument: string | undefined;
}
export type Sub = BookSub | SimpleSub | UserSub;

/** The subscription a channel name denotes on a socket, or undefined when it is not a channel there. */
export function parseChannel(
  kind: SocketKind,
  name: string,
  params: JsonObject,
  hasInstrument: (symbol: string) => boolean,
): Sub | undefined {
  const parts = name.split(".");
  return kind === "user" ? userChannel(parts, hasInstrument) : marketChannel(parts, params, hasInstrument);
}

function userChannel(parts: string[], has: (symbol: string) => boolean): UserSub | undefined {
  const [a, b, c, d] = parts;
  if (a !== "user") return undefined;
  if (b === "balance" && parts.length === 2)
    return { kind: "user", channel: "user.balance", instrument: undefined };
  if ((b === "order" || b === "trade") && parts.length <= 3) {
    if (c !== undefined && !has(c)) return undefined;
    return { kind: "user", channel: `user.${b}`, instrument: c };
  }
  if ((b === "advanced" || b === "advance") && c === "order" && parts.length <= 4) {
    if (d !== undefined && !has(d)) return undefined;
    return { kind: "user", channel: "user.advanced.order", instrument: d };
  }
  return undefined;
}

function marketChannel(
  parts: string[],
  params: JsonObject,
  has: (symbol: string) => boolean,
): BookSub | SimpleSub | undefined {
  const [ch] = parts;
  if (ch === "ticker" || ch === "trade") {
    if (parts.length !== 2 || !has(parts[1]!)) return undefined;
    return { kind: ch, symbol: parts[1]! };
  }
  if (ch === "book") {
    const symbol = parts[1];
    const depth = parts[2] !== undefined ? Number(parts[2]) : DEFAULT_BOOK_DEPTH;
    if (!symbol || !has(symbol) || parts.length > 3 || !BOOK_DEPTHS.has(depth)) return undefined;
    return {
      kind: "book",
      symbol,
      depth,
      snapshotOnly: params.book_subscription_type === "SNAPSHOT",
      lastU: 0,
      view: { bids: [], asks: [] },
      lastSent: 0,
    };
  }
  if (ch === "candlestick") {
    if (parts.length !== 3) return undefined;
    const tf = timeframeOf(parts[1]!);
    if (!tf || !has(parts[2]!)) return undefined;
    return { kind: "candlestick", symbol: parts[2]!, tf, tfText: parts[1]! };
  }
  return undefined;
}
