/**
 * Telegram notifications (GET/PATCH /api/settings/notifications): each kind on, silent (no sound)
 * or off — critical kinds offer on and silent only —, the daily summary's time and time zone, and
 * the throttle for repeated warnings. Only what changed is sent; the API validates every field and
 * names it, and audits the change (the same settings Telegram's /settings edits).
 */
import { type FormEvent, useState } from "react";
import { call } from "../api/client.js";
import type {
  ApiNotificationSettings,
  ApiNotificationSwitch,
  NotificationSettingsPatch,
} from "../api/types.js";
import { useAction } from "../state/action.js";
import { useApiRead } from "../state/api-read.js";
import { ReadPending } from "./ReadStatus.js";

const URL = "/api/settings/notifications";
const SWITCHES: readonly ApiNotificationSwitch[] = ["on", "silent", "off"];

interface Draft {
  events: Map<string, ApiNotificationSwitch>;
  summary: { enabled?: boolean; time?: string; time_zone?: string };
  throttle?: string;
}
const emptyDraft = (): Draft => ({ events: new Map(), summary: {} });

/** The patch of the fields the draft changed (an unparsable throttle is sent as typed: the API names it). */
function patchOf(s: ApiNotificationSettings, d: Draft): NotificationSettingsPatch {
  const patch: NotificationSettingsPatch = {};
  const events: Record<string, ApiNotificationSwitch> = {};
  for (const e of s.events) {
    const v = d.events.get(e.kind);
    if (v !== undefined && v !== e.value) events[e.kind] = v;
  }
  if (Object.keys(events).length > 0) patch.events = events;
  const summary: NonNullable<NotificationSettingsPatch["daily_summary"]> = {};
  const cur = s.daily_summary;
  if (d.summary.enabled !== undefined && d.summary.enabled !== cur.enabled)
    summary.enabled = d.summary.enabled;
  if (d.summary.time !== undefined && d.summary.time !== cur.time) summary.time = d.summary.time.trim();
  if (d.summary.time_zone !== undefined && d.summary.time_zone !== cur.time_zone)
    summary.time_zone = d.summary.time_zone.trim();
  if (Object.keys(summary).length > 0) patch.daily_summary = summary;
  if (d.throttle !== undefined && d.throttle.trim() !== String(s.throttle_minutes)) {
    const t = d.throttle.trim();
    patch.throttle_minutes = (/^\d+$/.test(t) ? Number(t) : t) as number;
  }
  return patch;
}

export function NotificationSwitches() {
  const action = useAction();
  const read = useApiRead<ApiNotificationSettings>(() => call<ApiNotificationSettings>("GET", URL), []);
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const settings = read.value;
  if (!settings) return <ReadPending error={read.error} what="notification settings" />;
  const patch = patchOf(settings, draft);
  const dirty = Object.keys(patch).length > 0;
  const summary = { ...settings.daily_summary, ...draft.summary };
  const setSummary = (change: Draft["summary"]) =>
    setDraft({ ...draft, summary: { ...draft.summary, ...change } });
  const save = async (e: FormEvent) => {
    e.preventDefault();
    const next = await action.run(() => call<ApiNotificationSettings>("PATCH", URL, patch));
    if (next) {
      read.set(next);
      setDraft(emptyDraft());
    }
  };
  return (
    <form className="panel settings" onSubmit={save} data-testid="notification-switches">
      <h3>Telegram notifications</h3>
      <p className="muted small">
        On: with sound · silent: no sound · off: not sent. Critical alerts are never off.
      </p>
      <fieldset>
        <legend>Per event</legend>
        {settings.events.map((k) => (
          <div key={k.kind} className="field">
            <label htmlFor={`notify-${k.kind}`}>
              <code>{k.kind}</code>
              <span className="muted small">
                {" "}
                default {k.default_value}
                {k.critical ? " · critical" : ""}
              </span>
            </label>
            <select
              id={`notify-${k.kind}`}
              data-testid={`notify-${k.kind}`}
              value={draft.events.get(k.kind) ?? k.value}
              onChange={(e) =>
                setDraft({
                  ...draft,
                  events: new Map(draft.events).set(k.kind, e.target.value as ApiNotificationSwitch),
                })
              }
            >
              {SWITCHES.filter((v) => !(k.critical && v === "off")).map((v) => (
                <option key={v} value={v}>
                  {v}
                </option>
              ))}
            </select>
          </div>
        ))}
      </fieldset>
      <fieldset>
        <legend>Daily summary and throttle</legend>
        <div className="field">
          <label htmlFor="notify-summary-enabled">Daily summary</label>
          <input
            id="notify-summary-enabled"
            type="checkbox"
            checked={summary.enabled}
            onChange={(e) => setSummary({ enabled: e.target.checked })}
          />
        </div>
        <div className="field">
          <label htmlFor="notify-summary-time">Summary time (HH:MM)</label>
          <input
            id="notify-summary-time"
            value={summary.time}
            onChange={(e) => setSummary({ time: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor="notify-summary-zone">Summary time zone</label>
          <input
            id="notify-summary-zone"
            value={summary.time_zone}
            onChange={(e) => setSummary({ time_zone: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor="notify-throttle">Repeat warnings after (min)</label>
          <input
            id="notify-throttle"
            inputMode="numeric"
            value={draft.throttle ?? String(settings.throttle_minutes)}
            onChange={(e) => setDraft({ ...draft, throttle: e.target.value })}
          />
        </div>
      </fieldset>
      <div className="row">
        <button type="submit" disabled={action.busy || !dirty}>
          Save notifications
        </button>
        {dirty && (
          <button type="button" className="secondary" onClick={() => setDraft(emptyDraft())}>
            Discard
          </button>
        )}
      </div>
      {action.error && <p className="error">{action.error}</p>}
    </form>
  );
}
