/**
 * Per-kind notification switches (on / silent / off) from the store's `telegram` setting, with the
 * defaults of each kind. Kinds are looked up as own properties of the stored object only.
 *
 * Invariant: a critical kind is never off (a stored "off" reads as "on"); it may be silent.
 */
import type { NotificationSwitch, TelegramNotificationSettings } from "../store/types.js";
import { CRITICAL_KINDS, NOTIFICATION_KINDS, type NotificationKind } from "./messages/types.js";

const DEFAULTS: ReadonlyMap<NotificationKind, NotificationSwitch> = new Map(
  NOTIFICATION_KINDS.map((k): [NotificationKind, NotificationSwitch] => [
    k,
    k === "order.placed" || k === "protection.placed" ? "silent" : "on",
  ]),
);

export function switchFor(
  settings: TelegramNotificationSettings,
  kind: NotificationKind,
): NotificationSwitch {
  const stored = Object.hasOwn(settings.events, kind) ? settings.events[kind] : undefined;
  const value = stored ?? DEFAULTS.get(kind) ?? "on";
  return value === "off" && CRITICAL_KINDS.has(kind) ? "on" : value;
}

export function isNotificationKind(s: string): s is NotificationKind {
  return (NOTIFICATION_KINDS as readonly string[]).includes(s);
}

/** Every kind with its effective switch, in list order (for /settings and the API). */
export function effectiveSwitches(
  settings: TelegramNotificationSettings,
): [NotificationKind, NotificationSwitch][] {
  return NOTIFICATION_KINDS.map((k) => [k, switchFor(settings, k)]);
}
