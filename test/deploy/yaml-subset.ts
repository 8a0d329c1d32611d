/**
 * A YAML subset parser for docker-compose.yml (no Docker engine and no YAML package here): block
 * mappings by indentation, block sequences of scalars (`- x`), flow sequences of scalars
 * (`["a", "b"]`), single/double-quoted and plain scalars, `#` comments, empty values (null).
 * Anything else (anchors, multi-line scalars, sequences of mappings) throws, so the compose file
 * stays inside what this test can read.
 */
export type YamlValue = string | null | YamlValue[] | { [k: string]: YamlValue };

interface Line {
  indent: number;
  text: string;
  no: number;
}

function stripComment(s: string): string {
  let q: string | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (q) {
      if (c === q) q = undefined;
    } else if (c === '"' || c === "'") q = c;
    else if (c === "#" && (i === 0 || s[i - 1] === " ")) return s.slice(0, i).trimEnd();
  }
  return s.trimEnd();
}

function scalar(raw: string, no: number): YamlValue {
  const s = raw.trim();
  if (s === "") return null;
  if (s.startsWith("[")) {
    if (!s.endsWith("]")) throw new Error(`line ${no}: unterminated flow sequence`);
    const inner = s.slice(1, -1).trim();
    if (inner === "") return [];
    const items: string[] = [];
    let cur = "";
    let q: string | undefined;
    for (const c of inner) {
      if (q) {
        cur += c;
        if (c === q) q = undefined;
      } else if (c === '"' || c === "'") {
        q = c;
        cur += c;
      } else if (c === ",") {
        items.push(cur);
        cur = "";
      } else cur += c;
    }
    items.push(cur);
    return items.map((i) => scalar(i, no));
  }
  if (/^[&*!|>{]/.test(s)) throw new Error(`line ${no}: unsupported YAML construct ${s}`);
  if (s.startsWith('"')) return JSON.parse(s) as string;
  if (s.startsWith("'")) return s.slice(1, -1).replace(/''/g, "'");
  return s;
}

export function parseYamlSubset(text: string): YamlValue {
  const lines: Line[] = [];
  let open: Line | undefined; // a flow sequence spread over several lines (as biome formats long ones)
  text.split("\n").forEach((raw, i) => {
    const t = stripComment(raw);
    if (t.trim() === "") return;
    if (raw.includes("\t")) throw new Error(`line ${i + 1}: tab`);
    if (open) {
      open.text += ` ${t.trim()}`;
      if (t.trim().startsWith("]")) {
        open.text = open.text.replace(/,\s*\]$/, "]");
        open = undefined;
      }
      return;
    }
    const line = { indent: t.length - t.trimStart().length, text: t.trim(), no: i + 1 };
    lines.push(line);
    if (/(^|: |- |^)\[$/.test(line.text)) open = line;
  });
  if (open) throw new Error(`line ${open.no}: unterminated flow sequence`);
  let pos = 0;
  function block(indent: number): YamlValue {
    const first = lines[pos];
    if (!first || first.indent < indent) return null;
    if (first.text.startsWith("[")) {
      pos++;
      return scalar(first.text, first.no);
    }
    if (first.text.startsWith("- ")) {
      const seq: YamlValue[] = [];
      while (pos < lines.length && lines[pos]!.indent === first.indent && lines[pos]!.text.startsWith("- ")) {
        const l = lines[pos++]!;
        const item = l.text.slice(2);
        if (/^[^"'[]*:( |$)/.test(item))
          throw new Error(`line ${l.no}: sequences of mappings are not supported`);
        seq.push(scalar(item, l.no));
      }
      return seq;
    }
    const map: Record<string, YamlValue> = {};
    while (pos < lines.length && lines[pos]!.indent === first.indent) {
      const l = lines[pos++]!;
      const m = /^("[^"]+"|'[^']+'|[^:]+):(?: (.*))?$/.exec(l.text);
      if (!m) throw new Error(`line ${l.no}: expected "key: value", got ${l.text}`);
      const key = scalar(m[1]!, l.no) as string;
      if (Object.hasOwn(map, key)) throw new Error(`line ${l.no}: duplicate key ${key}`);
      const rest = m[2]?.trim() ?? "";
      map[key] =
        rest !== ""
          ? scalar(rest, l.no)
          : lines[pos] && lines[pos]!.indent > l.indent
            ? block(lines[pos]!.indent)
            : null;
    }
    if (pos < lines.length && lines[pos]!.indent > first.indent)
      throw new Error(`line ${lines[pos]!.no}: bad indentation`);
    return map;
  }
  const v = block(0);
  if (pos !== lines.length) throw new Error(`line ${lines[pos]!.no}: unexpected indentation`);
  return v;
}
