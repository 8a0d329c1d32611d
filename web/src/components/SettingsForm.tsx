/**
 * Limits, loss protections and protection settings (GET/PATCH /api/settings). Decimals are edited
 * and sent as the text typed (a cleared optional decimal is sent as null); counts and durations are
 * integers. Only the fields that changed are sent; the API validates each and names the field.
 */
import { type FormEvent, useState } from "react";
import { api } from "../api/client.js";
import type { ApiSettings, SettingsPatch } from "../api/types.js";
import { useAction } from "../state/action.js";
import { useApiRead } from "../state/api-read.js";
import { ReadPending } from "./ReadStatus.js";

type Group = keyof ApiSettings;
type Kind = "int" | "dec" | "dec?" | "choice";
const FIELDS: { group: Group; key: string; label: string; kind: Kind }[] = [
  { group: "limits", key: "max_usd_per_order", label: "Max USD per order", kind: "dec" },
  {
    group: "limits",
    key: "max_open_positions_per_symbol",
    label: "Max open positions per symbol",
    kind: "int",
  },
  { group: "limits", key: "max_open_positions_total", label: "Max open positions in total", kind: "int" },
  { group: "limits", key: "cooldown_s", label: "Cooldown between entries (s)", kind: "int" },
  {
    group: "limits",
    key: "max_orders_per_symbol_per_day",
    label: "Max orders per symbol per day",
    kind: "int",
  },
  {
    group: "limits",
    key: "max_notional_per_symbol_per_day",
    label: "Max USD per symbol per day",
    kind: "dec",
  },
  { group: "loss_protection", key: "daily_loss_limit_usd", label: "Daily loss limit (USD)", kind: "dec?" },
  { group: "loss_protection", key: "daily_loss_limit_pct", label: "Daily loss limit (%)", kind: "dec?" },
  { group: "loss_protection", key: "stoploss_guard_count", label: "Stop-loss guard: stops", kind: "int" },
  {
    group: "loss_protection",
    key: "stoploss_guard_hours",
    label: "Stop-loss guard: within hours",
    kind: "int",
  },
  { group: "protection", key: "sl_order_type", label: "Stop-loss order type", kind: "choice" },
  { group: "protection", key: "stop_limit_slippage_pct", label: "Stop-limit slippage (%)", kind: "dec" },
  { group: "protection", key: "deadline_s", label: "Protection deadline (s)", kind: "int" },
];
const GROUP_TITLES: Record<Group, string> = {
  limits: "Limits",
  loss_protection: "Loss protection",
  protection: "Protection",
};

const id = (f: { group: Group; key: string }) => `${f.group}.${f.key}`;
function storedValue(s: ApiSettings, f: { group: Group; key: string }): string {
  const v: unknown = Object.getOwnPropertyDescriptor(s[f.group], f.key)?.value;
  return v === null || v === undefined ? "" : String(v);
}

export function SettingsForm() {
  const action = useAction();
  const read = useApiRead<ApiSettings>(() => api.settings(), []);
  const [draft, setDraft] = useState<Map<string, string>>(new Map());
  const settings = read.value;
  if (!settings) return <ReadPending error={read.error} what="settings" />;
  const current = (f: (typeof FIELDS)[number]) => draft.get(id(f)) ?? storedValue(settings, f);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    const patch: Record<string, Record<string, unknown>> = {};
    for (const f of FIELDS) {
      const v = draft.get(id(f));
      if (v === undefined || v === storedValue(settings, f)) continue;
      const t = v.trim();
      const sent =
        f.kind === "int" ? (/^-?\d+$/.test(t) ? Number(t) : t) : f.kind === "dec?" && t === "" ? null : t;
      patch[f.group] = { ...(patch[f.group] ?? {}), [f.key]: sent };
    }
    const next = await action.run(() => api.patchSettings(patch as SettingsPatch));
    if (next) {
      read.set(next);
      setDraft(new Map());
    }
  };
  return (
    <form className="panel settings" onSubmit={save} data-testid="settings-form">
      {(Object.keys(GROUP_TITLES) as Group[]).map((g) => (
        <fieldset key={g}>
          <legend>{GROUP_TITLES[g]}</legend>
          {FIELDS.filter((f) => f.group === g).map((f) => (
            <div key={id(f)} className="field">
              <label htmlFor={`setting-${id(f)}`}>{f.label}</label>
              {f.kind === "choice" ? (
                <select
                  id={`setting-${id(f)}`}
                  value={current(f)}
                  name={id(f)}
                  onChange={(e) => setDraft(new Map(draft).set(id(f), e.target.value))}
                >
                  <option>STOP_LIMIT</option>
                  <option>STOP_LOSS</option>
                </select>
              ) : (
                <input
                  id={`setting-${id(f)}`}
                  name={id(f)}
                  inputMode={f.kind === "int" ? "numeric" : "decimal"}
                  placeholder={f.kind === "dec?" ? "off" : ""}
                  value={current(f)}
                  onChange={(e) => setDraft(new Map(draft).set(id(f), e.target.value))}
                />
              )}
            </div>
          ))}
        </fieldset>
      ))}
      <div className="row">
        <button type="submit" disabled={action.busy || draft.size === 0}>
          Save settings
        </button>
        {draft.size > 0 && (
          <button type="button" className="secondary" onClick={() => setDraft(new Map())}>
            Discard
          </button>
        )}
      </div>
      {action.error && <p className="error">{action.error}</p>}
    </form>
  );
}
