/**
 * The dashboard's session: the API keeps an HttpOnly cookie (never readable here); what the page
 * holds is the CSRF token that mutations send as `X-CSRF-Token`, in sessionStorage (this tab only,
 * gone with it). The API token itself is never stored: it is sent once to POST /api/auth/login.
 *
 * Invariants:
 * - The token from a login link (`#token=…`) is removed from the address bar before anything else.
 * - A CSRF token is read from a JSON answer only as the string field `csrf_token`.
 */
const KEY = "atp.csrf";

export function csrfToken(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function rememberCsrf(token: string | null): void {
  try {
    if (token) sessionStorage.setItem(KEY, token);
    else sessionStorage.removeItem(KEY);
  } catch {
    // storage refused (private mode): the session lasts as long as the page
  }
}

/** The `csrf_token` string of a login or session answer, if it has one. */
export function csrfOf(body: unknown): string | null {
  if (typeof body !== "object" || body === null) return null;
  const value = Object.getOwnPropertyDescriptor(body, "csrf_token")?.value;
  return typeof value === "string" && value !== "" ? value : null;
}

/**
 * A login token handed over in the address (`/login#token=…` or `?token=…`), taken out of the
 * address bar at once (replaceState) so it is neither bookmarked nor left in history.
 */
export function takeLoginToken(): string | null {
  const hash = new URLSearchParams(window.location.hash.replace(/^#\/?/, ""));
  const query = new URLSearchParams(window.location.search);
  const token = hash.get("token") ?? query.get("token");
  if (token === null) return null;
  query.delete("token");
  const rest = query.toString();
  window.history.replaceState(null, "", `/${rest ? `?${rest}` : ""}#/portfolio`);
  return token;
}
