/** Catalogue: the key lacks the Trade permission. */
import { type Outcome, outcomeText } from "../outcome.js";
import { entry } from "./entry.js";

export const MISSING_TRADE_PERMISSION = entry({
  id: "missing_trade_permission",
  title: "API key lacks the Trade permission",
  when: "Signed reads succeed but a harmless trade-permission probe is rejected for auth.",
  found:
    "`private/cancel-order` for a random order id that cannot exist: a not-found, invalid-order or bad-request answer proves the permission (the exchange checks content only after auth and permission); an auth or permission answer disproves it (confirmed for 40101 and 10002, likely for account states such as 40104 USER_TIER_INVALID). Never places an order.",
  evidence: "The read's success and the probe's auth code.",
  fix: ["exchange.crypto.com → Settings → API Keys → edit the key → enable Trade (keep Withdraw off)."],
  codes: [40101, 10002, 40104],
  text: {
    /** Whose key: the proxy's, or the configured one as the report names it. */
    who: (viaProxy: boolean, keyText: string) => (viaProxy ? "the proxy's API key" : keyText),
    summary: (who: string) => `${who} can read but not trade: it lacks the Trade permission`,
    evidence: (probeOrderId: string, probe: Outcome) => [
      "private/user-balance (needs Read) → code 0: the key, signature, IP and clock are fine",
      `private/cancel-order for order id ${probeOrderId}, which cannot exist (needs Trade) → ${outcomeText(probe)}: refused for auth, where a key with Trade gets "not found"`,
      "the doctor never places an order: a cancel of a non-existent order cannot create exposure",
    ],
    fix: (viaProxy: boolean, keyText: string) => [
      `Open exchange.crypto.com → Settings → API Keys → edit ${viaProxy ? "the proxy's key" : keyText} → enable Trade (keep Withdraw off) and save.`,
      "Run `atp doctor` again: the trade-permission check should pass.",
    ],
    engineSummary: (what: string) =>
      `the engine was refused for its key's permissions or account (${what}) but the doctor's calls pass now`,
    engineFix: (remedy: string | undefined) => [
      remedy ?? "Check the key's permissions on exchange.crypto.com → Settings → API Keys.",
    ],
  },
});
