/**
 * Passwords inside URL-valued settings (DATABASE_URL=postgres://user:password@host/db). The loader
 * hands them to the log redactor as secrets and lists such a URL only with the password masked.
 * Only the userinfo password is recognised (not a `?password=` query parameter).
 */
import { maskSecret } from "../util/secrets.js";

export interface UrlPassword {
  /** As written in the URL (percent-encoded). */
  written: string;
  /** Decoded (what a database driver sends, and may log). */
  decoded: string;
}

function parse(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/** The password of a URL that has one; undefined for anything else (no password, not a URL). */
export function urlPassword(text: string): UrlPassword | undefined {
  const u = parse(text);
  if (!u?.password) return undefined;
  let decoded = u.password;
  try {
    decoded = decodeURIComponent(u.password);
  } catch {
    // a malformed escape: the written form is all there is
  }
  return { written: u.password, decoded };
}

/** `postgres://atp:<len=8 fp=1a2b3c4d>@db:5432/atp`; the text unchanged when it has no password. */
export function maskUrlPassword(text: string): string {
  const u = parse(text);
  const p = urlPassword(text);
  if (!u || !p) return text;
  return `${u.protocol}//${u.username}:<${maskSecret(p.decoded, "secret")}>@${u.host}${u.pathname}${u.search}${u.hash}`;
}
