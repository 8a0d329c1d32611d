/**
 * The notification kinds and their switches (on / silent / off), as the `telegram` setting stores
 * them and every editor (the API, the dashboard, Telegram's `/settings`) reads them: the list of
 * kinds, which are critical, each kind's default and the effective switch of a stored value.
 * Here, beside the services that read and change the setting, so the API and the notifier share
 * one vocabulary (both may import trading; neither imports the other).
 *
 * Invariants:
 * - A critical kind is never off: a stored "off" reads as "on" (it may be silent).
 * - Kinds are looked up as own properties of the stored object only, and in Maps/Sets.
 */
import type { NotificationSwitch, TelegramNotificationSettings } from "../../store/types.js";

/** Notification kinds, as the per-kind switches name them (the order the editors list them). */
export const NOTIFICATION_KINDS = [
  "signal",
  "order.placed",
  "order.filled",
  "position.closed",
  "protection.placed",
  "protection.failed",
  "position.unprotected",
  "auth.incident_opened",
  "auth.incident_closed",
  "order.rejected",
  "guard.blocked",
  "loss.tripped",
  "daily.summary",
  "delivery.notice",
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const NOTIFICATION_SWITCHES = ["on", "silent", "off"] as const satisfies readonly NotificationSwitch[];

/** Critical kinds: never "off" (a stored "off" reads as "on"); "silent" is allowed. */
export const CRITICAL_KINDS: ReadonlySet<NotificationKind> = new Set([
  "protection.failed",
  "position.unprotected",
  "auth.incident_opened",
  "delivery.notice",
]);

const DEFAULT_SWITCHES: ReadonlyMap<NotificationKind, NotificationSwitch> = new Map(
  NOTIFICATION_KINDS.map((k): [NotificationKind, NotificationSwitch] => [
    k,
    k === "order.placed" || k === "protection.placed" ? "silent" : "on",
  ]),
);

const KIND_SET: ReadonlySet<string> = new Set(NOTIFICATION_KINDS);

export function isNotificationKind(s: string): s is NotificationKind {
  return KIND_SET.has(s);
}

export function isNotificationSwitch(s: unknown): s is NotificationSwitch {
  return s === "on" || s === "silent" || s === "off";
}

/** A kind's switch when the setting does not name it. */
export function defaultSwitchOf(kind: NotificationKind): NotificationSwitch {
  return DEFAULT_SWITCHES.get(kind) ?? "on";
}

/** The switch a kind has under `settings` (its stored value, else its default; critical never off). */
export function switchFor(
  settings: TelegramNotificationSettings,
  kind: NotificationKind,
): NotificationSwitch {
  const stored = Object.hasOwn(settings.events, kind) ? settings.events[kind] : undefined;
  const value = stored ?? defaultSwitchOf(kind);
  return value === "off" && CRITICAL_KINDS.has(kind) ? "on" : value;
}

/** Every kind with its effective switch, in list order (for /settings and the API). */
export function effectiveSwitches(
  settings: TelegramNotificationSettings,
): [NotificationKind, NotificationSwitch][] {
  return NOTIFICATION_KINDS.map((k) => [k, switchFor(settings, k)]);
}
