/**
 * A small .env parser (dotenv semantics): `KEY=value`, optional `export `, `#` comments, single or
 * double quotes (double quotes expand \n, \r, \t, \\ and \"). Unquoted values are trimmed of spaces
 * and tabs only: a stray carriage return (CRLF file) or other junk is kept, so that credential
 * cleaning can report it instead of hiding it.
 */
import { readFileSync } from "node:fs";

export interface EnvFileResult {
  values: Map<string, string>;
  /** Lines that could not be parsed: [line number, reason]. */
  errors: [number, string][];
}

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
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
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
      values.set(key, quote === '"' ? unescapeDouble(raw) : raw);
      continue;
    }
    const hash = rest.search(/\s#/);
    if (hash >= 0) rest = rest.slice(0, hash);
    values.set(key, rest.replace(/[ \t]+$/, ""));
  }
  return { values, errors };
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

/** Reads and parses a file; a missing file is an empty result (not an error). */
export function readEnvFile(path: string): EnvFileResult | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  return parseEnvFile(text);
}
