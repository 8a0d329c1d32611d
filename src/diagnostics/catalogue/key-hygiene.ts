/** Catalogue: the key can withdraw (a warning: atp works, but a trading bot never needs that). */

export const KEY_CAN_WITHDRAW = {
  id: "key_can_withdraw",
  title: "The API key can withdraw",
  when: "private/get-deposit-address answers (it needs the key's withdrawal setting, reference §9), or the proxy's /health says key_can_withdraw: true.",
  text: {
    directKey: "the API key",
    notRun: "not run",
    proxyKey: "the signing proxy's API key",
    summary: (whose: string) =>
      `${whose} has the withdrawal setting on: a leaked key could move funds; a trading bot never needs that`,
    directEvidence: (code: string) =>
      `private/get-deposit-address (a harmless read that needs the withdrawal setting) → ${code}`,
    proxyEvidence: (url: string) => `GET ${url}/health → key_can_withdraw: true (the proxy's own key)`,
    fix: (whose: string) => [
      `exchange.crypto.com → Settings → API Keys: create a key with Read + Trade only (withdrawal off) and the same IP whitelist, for ${whose}.`,
      "Replace the key without downtime (docs/operations.md#rotating-keys-without-downtime), then delete the old key.",
      "Set ATP_REFUSE_WITHDRAW_KEYS=true to make atp refuse to trade with such a key.",
    ],
    pass: (code: string) =>
      `private/get-deposit-address → ${code}: the key cannot withdraw (as it should be)`,
    proxyPass: "the proxy's /health: key_can_withdraw false",
    proxyUnknown:
      "the proxy's /health does not report key_can_withdraw (not an atp proxy, or not measured yet)",
    inconclusive: (code: string) => `private/get-deposit-address → ${code}: inconclusive`,
  },
} as const;
