/**
 * A small .env parser (dotenv semantics): `KEY=value`, optional `export `, `#` comments, single or
 * double quotes (double quotes expand \n, \r, \t, \\ and \"). Unquoted values are trimmed of spaces
 * and tabs only: a stray carriage return (CRLF file) or other junk is kept, so that credential
 * cleaning can report it instead of hiding it. A key set twice keeps its last value (as dotenv
 * does) and is reported with every line that sets it.
 *
 * Reading never throws: a file that is a directory, a FIFO or a device (never opened: reading a FIFO
 * would block), a dangling link or a file that cannot be read is an `unreadable` result with the
 * reason in words, for the loader to report as a configuration problem.
 */
import { lstatSync, readFileSync, statSync } from "node:fs";

export interface EnvFileResult {
  values: Map<string, string>;
  /** Lines that could not be parsed: [line number, reason]. */
  errors: [number, string][];
  /** Keys set on more than one line: the key and every line (1-based) that sets it, in order. */
  duplicates: { key: string; lines: number[] }[];
}

export type EnvFileRead =
  | { kind: "missing" }
  | { kind: "unreadable"; problem: string }
  | { kind: "read"; result: EnvFileResult };

const LINE_RE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$/s;

function unescapeDouble(s: string): string {
  return s.replace(
    /\\([nrt"\\])/g,
    (_, c: string) => ({ n: "\n", r: "\r", t: "\t", '"': '"', "\\": "\\" })[c] ?? c,
  );
}

export function parseEnvFile(text: string): EnvFileResult {
  const values = new Map<string, string>();
  const errors: [number, string][] = [];
  const setOn = new Map<string, number[]>();
  const set = (key: string, value: string, line: number) => {
    values.set(key, value);
    const seen = setOn.get(key);
    if (seen) seen.push(line);
    else setOn.set(key, [line]);
  };
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const lineNo = i + 1;
    if (/^\s*(#.*)?\r?$/.test(line)) continue;
    const m = LINE_RE.exec(line);
    if (!m) {
      errors.push([i + 1, "expected KEY=value"]);
      continue;
    }
    const key = m[1]!;
    let rest = m[2]!.replace(/^[ \t]+/, "");
    const quote = rest[0];
    if (quote === '"' || quote === "'") {
      // find the closing quote, possibly on a later line (multi-line values)
      let body = rest.slice(1);
      let end = findClosing(body, quote);
      while (end < 0 && i + 1 < lines.length) {
        i++;
        body += `\n${lines[i]}`;
        end = findClosing(body, quote);
      }
      if (end < 0) {
        errors.push([i + 1, `unterminated ${quote} quote for ${key}`]);
        continue;
      }
      const raw = body.slice(0, end);
      set(key, quote === '"' ? unescapeDouble(raw) : raw, lineNo);
      continue;
    }
    const hash = rest.search(/\s#/);
    if (hash >= 0) rest = rest.slice(0, hash);
    set(key, rest.replace(/[ \t]+$/, ""), lineNo);
  }
  const duplicates = [...setOn].filter(([, at]) => at.length > 1).map(([key, at]) => ({ key, lines: at }));
  return { values, errors, duplicates };
}

function findClosing(body: string, quote: string): number {
  for (let j = 0; j < body.length; j++) {
    if (body[j] === "\\" && quote === '"') {
      j++;
      continue;
    }
    if (body[j] === quote) return j;
  }
  return -1;
}

function errnoText(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e.code === "EACCES" || e.code === "EPERM") return `permission denied (${e.code})`;
  return e.code ?? (err instanceof Error ? err.message : String(err));
}

/** Reads and parses a file; a missing file is `missing` (not a problem). Never throws. */
export function readEnvFile(path: string): EnvFileRead {
  let text: string;
  try {
    const st = statSync(path);
    if (st.isDirectory()) return { kind: "unreadable", problem: "is a directory, not a file" };
    if (!st.isFile())
      return { kind: "unreadable", problem: "is not a regular file (a FIFO, socket or device)" };
    text = readFileSync(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") {
      // a link whose target is gone is a mistake worth reporting; no file at all is not
      let link = false;
      try {
        link = lstatSync(path).isSymbolicLink();
      } catch {
        // nothing there
      }
      return link
        ? { kind: "unreadable", problem: "is a symbolic link to a file that does not exist" }
        : { kind: "missing" };
    }
    return { kind: "unreadable", problem: `cannot be read: ${errnoText(err)}` };
  }
  return { kind: "read", result: parseEnvFile(text) };
}
