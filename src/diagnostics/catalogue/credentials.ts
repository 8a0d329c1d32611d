/** Catalogue: the credential causes (missing, malformed, swapped, key invalid or revoked). */
import { CREDENTIAL_PAIR_ORDER, CREDENTIAL_PAIRS, PRIMARY_PAIR } from "../../config/variables.js";
import { type Outcome, outcomeText } from "../outcome.js";
import { entry } from "./entry.js";

const { key: KEY_VAR, secret: SECRET_VAR } = CREDENTIAL_PAIRS[PRIMARY_PAIR];

/** "A and B are", "A is" */
const listed = (vars: readonly string[], plural: string, singular: string) =>
  `${vars.join(" and ")} ${vars.length > 1 ? plural : singular}`;

/** The configured pair's variables. */
export interface PairVars {
  keyVar: string;
  secretVar: string;
}

export const CREDENTIALS_MISSING = entry({
  id: "credentials_missing",
  title: "API key or secret not configured",
  when: "The key or the secret is not set (or is still the `.env.example` placeholder) and private calls go direct.",
  found:
    "Configuration check, offline (confirmed). In proxy mode the proxy holds the credentials, so this does not apply.",
  evidence: "Which variables are unset; which credential pair atp looked at.",
  fix: [
    `Set ${KEY_VAR} and ${SECRET_VAR} in .env.local (or the environment).`,
    "Restart atp, then run `atp doctor` again.",
  ],
  codes: [],
  text: {
    summary: (vars: readonly string[]) =>
      `${listed(vars, "are", "is")} not configured: atp cannot sign private calls`,
    pairLookedAt: (pair: string | undefined) =>
      `credential pair looked at: ${pair ?? `${CREDENTIAL_PAIR_ORDER.join(", then ")} (nothing set in either)`}`,
    goesDirect: (baseUrl: string) => `private calls go direct to ${baseUrl} (USE_CRYPTO_PROXY is off)`,
    fix: (v: PairVars) => [
      `Set ${v.keyVar} and ${v.secretVar} in .env.local (or the environment), as one line each; see .env.example.`,
      "Restart atp, then run `atp doctor` again.",
    ],
  },
});

export const CREDENTIALS_MALFORMED = entry({
  id: "credentials_malformed",
  title: "API key or secret malformed",
  when: "Whitespace, quotes, line breaks or non-printable characters inside the key or secret, or an implausible length or character set.",
  found:
    "Configuration check (confirmed for characters atp cannot clean; likely for an implausible length or character set when the exchange refuses the key).",
  evidence: "The variable, what is wrong with it (never the value), its length and fingerprint.",
  fix: [
    "Copy the key and secret again from the exchange (Settings → API Keys) as one line each, without quotes or spaces.",
  ],
  codes: [40101],
  text: {
    summary: (vars: readonly string[]) => `${listed(vars, "are", "is")} malformed`,
    unusedViaProxy: "not used for private calls while USE_CRYPTO_PROXY=true (the proxy signs)",
    fix: (v: PairVars) => [
      `Copy the key and secret again from exchange.crypto.com (Settings → API Keys) into ${v.keyVar} and ${v.secretVar}: one line each, no spaces, quotes or line breaks inside.`,
      "If the secret is lost (it is shown only once), create a new key with Read + Trade and whitelist the outbound IP.",
    ],
    implausibleSummary: (vars: readonly string[]) =>
      `${listed(vars, "do", "does")} not look like a Crypto.com credential`,
    refusedRead: (read: Outcome) => `the exchange refused the signed read: ${outcomeText(read)}`,
    /** `last4`: the key's last 4 characters, when they may be shown. */
    implausibleFix: (keyVar: string, last4: string | undefined) => [
      `Compare ${keyVar} with the key shown on exchange.crypto.com (Settings → API Keys): same length${last4 !== undefined ? ` and last 4 characters (${last4})` : ""}.`,
      "Paste both values again, as plain ASCII without quotes.",
    ],
  },
});

export const CREDENTIALS_SWAPPED = entry({
  id: "credentials_swapped",
  title: "API key and secret swapped",
  when: "The key and the secret are the wrong way round.",
  found:
    "Discriminating experiment after an auth refusal (40101; not after a permission refusal such as 10002): the same harmless signed read with key and secret exchanged succeeds (or is refused by a check the exchange makes only after finding the key: IP whitelist 40103, nonce 40102, permission). Only against the official hosts or loopback, since it sends the secret as the key.",
  evidence:
    "The 40101 of the normal read and the answer to the swapped read. The key variable then holds the secret, so it is shown like a secret (length and fingerprint, no last 4).",
  fix: [`Exchange the values of ${KEY_VAR} and ${SECRET_VAR}.`],
  codes: [40101],
  text: {
    summary: (v: PairVars) => `${v.keyVar} and ${v.secretVar} are the wrong way round`,
    evidence: (read: Outcome, swapped: Outcome, keyFacts: string) => [
      `private/user-balance with the key and secret as configured → ${outcomeText(read)}`,
      `the same read with them exchanged → ${outcomeText(swapped)}${swapped.kind === "ok" ? "" : " (a refusal that proves the exchange knows that key)"}`,
      `${keyFacts} (it holds the secret, so it is shown as one)`,
    ],
    fix: (v: PairVars) => [
      `Exchange the values of ${v.keyVar} and ${v.secretVar}, restart atp and run \`atp doctor\` again.`,
    ],
  },
});

export const KEY_INVALID_OR_REVOKED = entry({
  id: "key_invalid_or_revoked",
  title: "API key invalid, revoked, or the secret does not belong to it",
  when: "40101 on a correctly signed, correctly timed read from an allowed IP.",
  found:
    "Signed read answers 40101 while the signing self-test passes, the clock offset is inside the window and the swapped experiment fails (confirmed when all of that was measured, likely otherwise).",
  evidence:
    "The 40101, the self-test result, the measured offset, the key's last 4 characters and fingerprint.",
  fix: [
    "Check on the exchange that the key ending in the shown last 4 characters exists and is enabled.",
    "If it does, the secret is wrong: create a new key (Read + Trade), whitelist the outbound IP, and set both values again.",
  ],
  codes: [40101, 10002],
  text: {
    summary: (keyName: string, code: string) =>
      `the exchange does not accept ${keyName} with this secret (${code} on a correctly signed, correctly timed read)`,
    selfTest: (ok: boolean, vectorCount: number) =>
      ok
        ? `the signing self-test passes (${vectorCount} known-answer vectors and a serialisation round trip)`
        : "the signing self-test FAILS",
    swapped: (swapped: Outcome | undefined, skipped: string | undefined) =>
      swapped
        ? `the read with key and secret exchanged → ${outcomeText(swapped)}: they are not swapped`
        : `the swapped-credentials experiment was not run (${skipped ?? "n/a"})`,
    fix: (keyName: string, ip: string | undefined, v: PairVars) => [
      `On exchange.crypto.com → Settings → API Keys, check that ${keyName} exists and is enabled (not deleted, not expired).`,
      `If it is, the secret does not belong to it: create a new key (Read + Trade, no Withdraw), whitelist ${ip ?? "this host's outbound IP"}, and set ${v.keyVar} / ${v.secretVar} again.`,
      "Restart atp and run `atp doctor` again.",
    ],
    accountSummary: (keyName: string, answer: string) =>
      `the account behind ${keyName} may not use the API (${answer})`,
    accountEvidence: (answer: string, meaning: string | undefined) =>
      `private/user-balance → ${answer}: ${meaning ?? ""}`.trim(),
    accountFix: (remedy: string | undefined) => [
      remedy ?? "Contact Crypto.com support about the account's API access.",
    ],
    engineSummary: (what: string) =>
      `the engine was refused (${what}) but the same credentials work now: the engine may run with other (older) credentials`,
    engineFix: [
      "Restart the engine so it loads the credentials the doctor used (compare the key fingerprint in its start-up log).",
    ],
  },
});
