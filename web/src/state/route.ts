/**
 * Hash routing (`#/watchlist/BTC_USD`): works behind any server that answers index.html, needs no
 * server support and survives reloads. Unknown pages fall back to the portfolio.
 */
import { useEffect, useState } from "react";

export const PAGES = ["portfolio", "watchlist", "orders", "diagnostics", "settings"] as const;
export type PageName = (typeof PAGES)[number];

export interface Route {
  page: PageName;
  /** The rest of the path (e.g. the selected symbol), "" when none. */
  arg: string;
}

export function parseRoute(hash: string): Route {
  const [first = "", ...rest] = hash.replace(/^#\/?/, "").split("/");
  const page = PAGES.find((p) => p === first) ?? "portfolio";
  return { page, arg: page === first ? decodeURIComponent(rest.join("/")) : "" };
}

export function routeHref(page: PageName, arg = ""): string {
  return `#/${page}${arg ? `/${encodeURIComponent(arg)}` : ""}`;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return route;
}
