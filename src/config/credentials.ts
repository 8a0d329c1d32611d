/**
 * Configuration step 4, resolve credentials: the first pair (in order of preference, variables.ts)
 * with either half set is used. A second pair that is set and differs is a warning; half a pair
 * is an error naming the missing half, unless that half was refused already (one finding per
 * variable: the reason it was refused).
 */
import type { Credentials, Finding, Values } from "./types.js";
import { CREDENTIAL_PAIR_ORDER, CREDENTIAL_PAIRS } from "./variables.js";

export function resolveCredentials(
  values: Values,
  refused: ReadonlySet<string>,
): { credentials: Credentials; findings: Finding[] } {
  const findings: Finding[] = [];
  const pairs = CREDENTIAL_PAIR_ORDER.map((name) => ({
    name,
    key: values.get(CREDENTIAL_PAIRS[name].key),
    secret: values.get(CREDENTIAL_PAIRS[name].secret),
  }));
  const isSet = (p: (typeof pairs)[number]) => p.key !== undefined || p.secret !== undefined;
  const used = pairs.find(isSet);
  if (!used) return { credentials: {}, findings };
  for (const other of pairs.filter((p) => p !== used && isSet(p))) {
    if (other.key === used.key && other.secret === used.secret) continue;
    findings.push({
      severity: "warning",
      kind: "pair_conflict",
      variable: CREDENTIAL_PAIRS[other.name].key,
      problem: `both ${used.name} and ${other.name} are set and differ; atp uses ${used.name}`,
      fix: "remove the pair you do not use",
    });
  }
  const { key: keyName, secret: secretName } = CREDENTIAL_PAIRS[used.name];
  if (used.key === undefined && !refused.has(keyName)) {
    findings.push({
      severity: "error",
      kind: "missing_partner",
      variable: keyName,
      problem: `not set while ${secretName} is`,
      fix: `set ${keyName}`,
    });
  }
  if (used.secret === undefined && !refused.has(secretName)) {
    findings.push({
      severity: "error",
      kind: "missing_partner",
      variable: secretName,
      problem: `not set while ${keyName} is`,
      fix: `set ${secretName}`,
    });
  }
  return {
    credentials: {
      ...(used.key !== undefined ? { key: used.key } : {}),
      ...(used.secret !== undefined ? { secret: used.secret } : {}),
      pair: used.name,
    },
    findings,
  };
}
