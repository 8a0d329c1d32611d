/**
 * The banner shown when the API key can withdraw (`key_hygiene`, checked at every start of atp): a
 * trading bot never needs that. With ATP_REFUSE_WITHDRAW_KEYS=true it says live orders are refused
 * (also while the check has not answered yet). The fix is a Read + Trade key, swapped in as
 * docs/operations.md "Rotating keys without downtime" describes.
 */
import type { DashboardState } from "../api/types.js";
import { routeHref } from "../state/route.js";

const ROTATING_KEYS_DOC = "docs/operations.md#rotating-keys-without-downtime";

export function KeyHygieneBanner({ state }: { state: DashboardState }) {
  const k = state.key_hygiene;
  if (!k || (k.key_can_withdraw !== true && !k.trading_refused)) return null;
  const whose = k.via === "proxy" ? "The signing proxy's API key" : "The API key";
  return (
    <div
      className={`banner ${k.trading_refused ? "danger" : "warn"}`}
      role="alert"
      data-testid="key-hygiene-banner"
    >
      {k.key_can_withdraw === true ? (
        <strong>{whose} can withdraw funds — a trading bot never needs that.</strong>
      ) : (
        <strong>Checking whether the API key can withdraw…</strong>
      )}
      <span data-testid="key-hygiene-trading">
        {k.trading_refused
          ? " Live trading is refused (ATP_REFUSE_WITHDRAW_KEYS=true): no live order is sent; new orders run in dry run."
          : " atp still trades with it; ATP_REFUSE_WITHDRAW_KEYS=true would refuse such a key."}
      </span>
      {k.key_can_withdraw === true && (
        <div className="banner-diagnosis">
          Fix: create a key with Read + Trade only (withdrawal off), whitelist the same IP, switch atp to it
          and delete this one — see<code>{ROTATING_KEYS_DOC}</code>(Rotating keys without downtime).{" "}
          <a href={routeHref("diagnostics")}>The doctor's finding →</a>
          <div className="muted small">{k.detail}</div>
        </div>
      )}
    </div>
  );
}
