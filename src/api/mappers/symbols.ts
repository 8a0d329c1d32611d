/**
 * Symbols from outside (the API's watchlist input, TradingView webhooks) to the venue's instrument
 * names, and "did you mean" suggestions for unknown ones.
 *
 * Invariants:
 * - Lookups go through a Map keyed by the instrument's compact form (uppercase, without `_`, `/`,
 *   `-`), never a plain object; an exact instrument name always wins over a compact match.
 * - Accepted forms: `BTC_USD`, `btc_usd`, `BTCUSD`, `BTC/USD`, `BTC-USD`, `CRYPTO:BTCUSD` (any
 *   `EXCHANGE:` prefix). Two instruments with the same compact form make the input ambiguous:
 *   refused, never guessed.
 * - Suggestions are the closest names by edit distance (ties by name), at most `max`.
 * - The lookup tables are built once per instrument list and kept while the list is the same (the
 *   same array, or one with the same names in the same order): a webhook resolves its symbol
 *   without rebuilding them from the venue's hundreds of names.
 */

export type SymbolResolution =
  | { ok: true; symbol: string }
  | { ok: false; problem: string; suggestions: string[] };

function compact(s: string): string {
  return s.toUpperCase().replace(/[_/-]/g, "");
}

/** Levenshtein distance (two rows). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur.push(Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/** The instrument names closest to `input` (by edit distance on the uppercase forms). */
export function closestInstruments(input: string, instruments: readonly string[], max = 3): string[] {
  const target = input.toUpperCase();
  return instruments
    .map((name) => ({
      name,
      d: Math.min(editDistance(target, name.toUpperCase()), editDistance(compact(target), compact(name))),
    }))
    .sort((x, y) => x.d - y.d || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0))
    .slice(0, max)
    .map((x) => x.name);
}

interface SymbolTables {
  names: readonly string[];
  exact: Set<string>;
  byCompact: Map<string, string[]>;
}

let lastTables: SymbolTables | undefined;

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The lookup tables of `instruments` (the last list's, when it is the same). */
function tablesOf(instruments: readonly string[]): SymbolTables {
  if (lastTables && sameNames(lastTables.names, instruments)) return lastTables;
  const byCompact = new Map<string, string[]>();
  for (const name of instruments) {
    const key = compact(name);
    const list = byCompact.get(key);
    if (list) list.push(name);
    else byCompact.set(key, [name]);
  }
  lastTables = { names: [...instruments], exact: new Set(instruments), byCompact };
  return lastTables;
}

/** Resolves an outside symbol to one instrument name of the venue. */
export function resolveSymbol(raw: string, instruments: readonly string[]): SymbolResolution {
  const trimmed = raw.trim();
  const colon = trimmed.lastIndexOf(":");
  const bare = (colon >= 0 ? trimmed.slice(colon + 1) : trimmed).trim();
  if (bare.length === 0 || bare.length > 64)
    return { ok: false, problem: "symbol is empty or too long", suggestions: [] };
  const { exact, byCompact } = tablesOf(instruments);
  const upper = bare.toUpperCase();
  if (exact.has(bare)) return { ok: true, symbol: bare };
  if (exact.has(upper)) return { ok: true, symbol: upper };
  const matches = byCompact.get(compact(bare)) ?? [];
  if (matches.length === 1) return { ok: true, symbol: matches[0]! };
  if (matches.length > 1)
    return {
      ok: false,
      problem: `symbol ${JSON.stringify(raw)} is ambiguous`,
      suggestions: [...matches].sort(),
    };
  return {
    ok: false,
    problem: `unknown symbol ${JSON.stringify(raw)}`,
    suggestions: closestInstruments(bare, instruments),
  };
}
