/**
 * `GET /api/settings/notifications` and `PATCH /api/settings/notifications`: the per-kind Telegram
 * switches (on / silent / off), the daily summary and the throttle window, in the contract's
 * snake_case (ApiNotificationSettings), through the same TradingServices Telegram's `/settings`
 * uses (src/trading/services/notifications.ts holds the kinds and their defaults).
 *
 * Invariants:
 * - A PATCH validates every field it names and answers 400 naming it (`events.order.filled`,
 *   `daily_summary.time_zone`, …): a switch other than on/silent/off, a critical kind turned off,
 *   a time not "HH:MM", a zone the runtime does not know, a throttle outside 1..1440 minutes; an
 *   unknown kind is named in the problem of `events` (own keys of the JSON, `__proto__` too).
 *   Nothing is stored unless every field is valid.
 * - The change is merged into the stored value inside one transaction and written with its audit
 *   entry (actor `operator:api`) and a `settings.changed` event; a PATCH that changes nothing
 *   writes nothing.
 * - Kinds are looked up in the services' Set/Map and as own properties, never as plain-object keys.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { TelegramNotificationSettings } from "../../store/types.js";
import {
  CRITICAL_KINDS,
  defaultSwitchOf,
  effectiveSwitches,
  isNotificationKind,
  NOTIFICATION_KINDS,
  NOTIFICATION_SWITCHES,
  type NotificationKind,
} from "../../trading/services/notifications.js";
import type * as C from "../contract/types.js";
import type { ApiDeps } from "../deps.js";
import { defineRoute } from "../route.js";

const switchSchema = z.enum(NOTIFICATION_SWITCHES);

const timeZoneSchema = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'an IANA time zone the runtime knows, e.g. "UTC" or "Europe/Berlin"');

const KIND_LIST = NOTIFICATION_KINDS.join(", ");

/** Every kind an optional property (so OpenAPI lists them); any other key is refused, naming it. */
const eventsPatchSchema = z
  .strictObject(
    Object.fromEntries(NOTIFICATION_KINDS.map((k) => [k, switchSchema.optional()])) as Record<
      NotificationKind,
      z.ZodOptional<typeof switchSchema>
    >,
    {
      error: (iss) =>
        iss.code === "unrecognized_keys"
          ? `not a notification kind: ${iss.keys.map((k) => JSON.stringify(k)).join(", ")}; the kinds are ${KIND_LIST}`
          : undefined,
    },
  )
  .superRefine((events, ctx) => {
    for (const kind of CRITICAL_KINDS)
      if (Object.hasOwn(events, kind) && events[kind] === "off")
        ctx.addIssue({ code: "custom", path: [kind], message: "a critical kind is on or silent, never off" });
  });

const patchSchema = z.strictObject({
  events: eventsPatchSchema.optional(),
  daily_summary: z
    .strictObject({
      enabled: z.boolean(),
      time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a 24-hour local time "HH:MM", e.g. "20:00"'),
      time_zone: timeZoneSchema,
    })
    .partial()
    .optional(),
  throttle_minutes: z.number().int().min(1).max(1440).optional(),
});

const notificationSettingsSchema = z.object({
  events: z.array(
    z.object({
      kind: z.string(),
      value: switchSchema,
      default_value: switchSchema,
      critical: z.boolean(),
    }),
  ),
  daily_summary: z.object({ enabled: z.boolean(), time: z.string(), time_zone: z.string() }),
  throttle_minutes: z.number().int(),
});

// compile-time: the schemas describe the contract's types exactly
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const contractMatches: [
  Same<z.output<typeof notificationSettingsSchema>, C.ApiNotificationSettings>,
  Same<z.input<typeof patchSchema>, C.NotificationSettingsPatch>,
] = [true, true];
void contractMatches;

export function apiNotificationSettingsOf(s: TelegramNotificationSettings): C.ApiNotificationSettings {
  return {
    events: effectiveSwitches(s).map(([kind, value]) => ({
      kind,
      value,
      default_value: defaultSwitchOf(kind),
      critical: CRITICAL_KINDS.has(kind),
    })),
    daily_summary: {
      enabled: s.dailySummary.enabled,
      time: s.dailySummary.time,
      time_zone: s.dailySummary.timeZone,
    },
    throttle_minutes: s.throttleMinutes,
  };
}

/** The stored settings with a validated patch applied (only known kinds are copied). */
export function mergeNotificationPatch(
  cur: TelegramNotificationSettings,
  patch: z.output<typeof patchSchema>,
): TelegramNotificationSettings {
  const events = new Map(Object.entries(cur.events));
  for (const [kind, value] of Object.entries(patch.events ?? {}))
    if (isNotificationKind(kind) && value !== undefined) events.set(kind, value);
  const d = patch.daily_summary ?? {};
  return {
    events: Object.fromEntries(events),
    dailySummary: {
      enabled: d.enabled ?? cur.dailySummary.enabled,
      time: d.time ?? cur.dailySummary.time,
      timeZone: d.time_zone ?? cur.dailySummary.timeZone,
    },
    throttleMinutes: patch.throttle_minutes ?? cur.throttleMinutes,
  };
}

export async function registerNotificationSettingsRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  defineRoute(
    app,
    {
      method: "GET",
      url: "/api/settings/notifications",
      auth: "read",
      response: notificationSettingsSchema,
      summary: "Telegram notification switches per kind (on/silent/off), the daily summary and the throttle",
      tags: ["settings"],
    },
    async () => apiNotificationSettingsOf((await deps.services.getNotificationSettings()).value),
  );

  defineRoute(
    app,
    {
      method: "PATCH",
      url: "/api/settings/notifications",
      auth: "write",
      body: patchSchema,
      response: notificationSettingsSchema,
      summary:
        'Changes any subset, e.g. {"events":{"order.placed":"off"}} (every field validated; critical kinds never off; audited)',
      tags: ["settings"],
    },
    async ({ body, actor }) =>
      apiNotificationSettingsOf(
        await deps.services.updateNotificationSettings((cur) => mergeNotificationPatch(cur, body), actor),
      ),
  );
}
