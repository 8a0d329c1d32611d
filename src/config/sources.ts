/**
 * Configuration step 1, load: each variable's raw value and its source, by precedence process env
 * (a non-empty value) > `.env.local` > `.env` > the table's default. An env file that cannot be
 * read or has bad lines is a finding, never an exception; the file is then skipped (or its good
 * lines used). Keys set twice in one file are a warning (the last line wins).
 */
import { join } from "node:path";
import { readEnvFile } from "./env-file.js";
import type { Finding, RawValues, Source } from "./types.js";
import { VARIABLES } from "./variables.js";

export interface Loaded {
  raw: RawValues;
  findings: Finding[];
}

const ENV_FILES = [".env.local", ".env"] as const;

export function loadSources(cwd: string, env: NodeJS.ProcessEnv): Loaded {
  const findings: Finding[] = [];
  const files: [Source, Map<string, string>][] = [];
  for (const file of ENV_FILES) {
    const read = readEnvFile(join(cwd, file));
    if (read.kind === "missing") continue;
    if (read.kind === "unreadable") {
      findings.push({
        severity: "error",
        kind: "env_file",
        variable: file,
        problem: `${read.problem}; atp ignored it`,
        fix: `make ${file} a readable text file of KEY=value lines, or remove it`,
      });
      continue;
    }
    const parsed = read.result;
    for (const [line, reason] of parsed.errors) {
      findings.push({
        severity: "error",
        kind: "env_file",
        variable: `${file}:${line}`,
        problem: reason,
        fix: "write the line as KEY=value",
      });
    }
    for (const d of parsed.duplicates) {
      const at = d.lines;
      const last = at[at.length - 1]!;
      findings.push({
        severity: "warning",
        kind: "duplicate_key",
        variable: `${file}:${at[0]}`,
        problem: `${d.key} is set on lines ${at.slice(0, -1).join(", ")} and ${last}; atp uses line ${last}`,
        fix: `keep one ${d.key} line in ${file} and delete the other${at.length > 2 ? "s" : ""}`,
      });
    }
    files.push([file, parsed.values]);
  }

  const raw = new Map<string, { value: string; source: Source }>();
  for (const v of VARIABLES) {
    const fromEnv = env[v.name];
    if (fromEnv !== undefined && fromEnv !== "") {
      raw.set(v.name, { value: fromEnv, source: "env" });
      continue;
    }
    const fromFile = files.find(([, values]) => (values.get(v.name) ?? "") !== "");
    if (fromFile) raw.set(v.name, { value: fromFile[1].get(v.name)!, source: fromFile[0] });
    else if (v.default !== undefined) raw.set(v.name, { value: v.default, source: "default" });
  }
  return { raw, findings };
}
