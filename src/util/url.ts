/**
 * URLs as they may be shown: the one function every output, report, log line and error message
 * uses for a URL (or for text that may contain URLs), and the password of a URL setting for the log
 * redactor.
 *
 * Invariants:
 * - User info never appears as written: `https://user:pw@host/x` is shown as
 *   `https://user:<len=2 fp=1a2b3c4d>@host/x` (the password masked like every secret), and a user
 *   name without a password, which in that form is usually a token (`https://TOKEN@host`), is masked
 *   whole: `https://<len=5 fp=…>@host`.
 * - Everything else in the text is left exactly as written (no re-serialisation of the URL).
 */
import { maskSecret } from "./secrets.js";

/**
 * `scheme://userinfo@` anywhere in a text. The user info runs to the last `@` before the host (as
 * URL parsers read it) and stops at whitespace, quotes and brackets, so JSON and prose around a URL
 * are not swallowed.
 */
const USERINFO_RE = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#"'<>\\`()[\]{}]*)@/gi;

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s; // a malformed escape: the written form is all there is
  }
}

function maskUserinfo(info: string): string {
  const colon = info.indexOf(":");
  if (colon < 0) return `<${maskSecret(decode(info), "secret")}>`;
  const password = info.slice(colon + 1);
  const user = info.slice(0, colon);
  return password === "" ? `${user}:` : `${user}:<${maskSecret(decode(password), "secret")}>`;
}

/** The text with the user info of every URL in it masked; unchanged when no URL carries any. */
export function displayUrl(text: string): string {
  return text.replace(USERINFO_RE, (whole, scheme: string, info: string) =>
    info === "" ? whole : `${scheme}${maskUserinfo(info)}@`,
  );
}

export interface UrlPassword {
  /** As written in the URL (percent-encoded). */
  written: string;
  /** Decoded (what a database driver sends, and may log). */
  decoded: string;
}

/** The password of a URL that has one; undefined for anything else (no password, not a URL). */
export function urlPassword(text: string): UrlPassword | undefined {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return undefined;
  }
  if (!u.password) return undefined;
  return { written: u.password, decoded: decode(u.password) };
}
