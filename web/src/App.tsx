/**
 * The dashboard's frame: status bar (mode, kill switch, stale data), the auth-failure and the key
 * hygiene banners, the page tabs and the current page. Logs in from a login link's token at start, or picks up an
 * existing cookie session's CSRF token; asks for the token whenever the API answers 401.
 */
import { useEffect, useState } from "react";
import { api, describeError, refreshSession } from "./api/client.js";
import { csrfToken, takeLoginToken } from "./api/session.js";
import { AuthBanner } from "./components/AuthBanner.js";
import { KeyHygieneBanner } from "./components/KeyHygieneBanner.js";
import { LoginDialog } from "./components/LoginDialog.js";
import { Nav, pageTitle } from "./components/Nav.js";
import { StatusBar } from "./components/StatusBar.js";
import { DiagnosticsPage } from "./pages/Diagnostics.js";
import { OrdersPage } from "./pages/Orders.js";
import { PortfolioPage } from "./pages/Portfolio.js";
import { SettingsPage } from "./pages/Settings.js";
import { WatchlistPage } from "./pages/Watchlist.js";
import { useDashboard } from "./state/dashboard.js";
import { time } from "./state/format.js";
import { useLoginPrompt } from "./state/login.js";
import { type Route, useRoute } from "./state/route.js";

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case "portfolio":
      return <PortfolioPage />;
    case "watchlist":
      return <WatchlistPage selected={route.arg} />;
    case "orders":
      return <OrdersPage />;
    case "diagnostics":
      return <DiagnosticsPage />;
    case "settings":
      return <SettingsPage />;
  }
}

export function App() {
  const view = useDashboard();
  const route = useRoute();
  const [loginOpen, setLoginOpen] = useLoginPrompt();
  const [loggedIn, setLoggedIn] = useState(() => csrfToken() !== null);
  const [loginError, setLoginError] = useState<string | null>(null);

  useEffect(() => {
    const token = takeLoginToken();
    const start = token ? api.login(token) : refreshSession().then(() => undefined);
    start
      .then(() => setLoggedIn(csrfToken() !== null))
      .catch((e: unknown) => {
        setLoginError(describeError(e));
        setLoginOpen(true);
      });
  }, [setLoginOpen]);

  useEffect(() => {
    document.title = `atp · ${pageTitle(route.page)}`;
  }, [route.page]);

  return (
    <div className="app">
      <header className="top">
        <a className="brand" href="#/portfolio">
          atp
        </a>
        <StatusBar view={view} />
        {loggedIn ? (
          <span className="muted small" data-testid="logged-in">
            logged in
          </span>
        ) : (
          <button type="button" className="secondary small" onClick={() => setLoginOpen(true)}>
            Log in
          </button>
        )}
      </header>
      {view.state && <AuthBanner state={view.state} />}
      {view.state && <KeyHygieneBanner state={view.state} />}
      {loginError && !loginOpen && <div className="banner warn">Login failed: {loginError}</div>}
      <Nav current={route.page} />
      <main>{view.state ? <Page route={route} /> : <p className="muted">{view.error ?? "Loading…"}</p>}</main>
      <footer className="muted small">
        state read {time(view.fetchedAt)} · live updates {view.streamConnected ? "on" : "off"} ·{" "}
        <span data-testid="event-count">{view.eventCount}</span> events
      </footer>
      {loginOpen && (
        <LoginDialog
          onDone={() => {
            setLoginOpen(false);
            setLoginError(null);
            setLoggedIn(csrfToken() !== null);
            void view.refresh();
          }}
          onCancel={() => setLoginOpen(false)}
        />
      )}
    </div>
  );
}
