/** The page tabs (hash links); the current page is marked with aria-current. */
import { PAGES, type PageName, routeHref } from "../state/route.js";

const TITLES: Record<PageName, string> = {
  portfolio: "Portfolio",
  watchlist: "Watchlist",
  orders: "Orders",
  diagnostics: "Diagnostics",
  settings: "Settings",
};

export function pageTitle(page: PageName): string {
  return TITLES[page];
}

export function Nav({ current }: { current: PageName }) {
  return (
    <nav className="nav">
      {PAGES.map((p) => (
        <a key={p} href={routeHref(p)} aria-current={p === current ? "page" : undefined}>
          {TITLES[p]}
        </a>
      ))}
    </nav>
  );
}
