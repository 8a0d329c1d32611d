/**
 * Completing a message at send time: an `auth.incident_opened` message gets the doctor's verdict
 * (cause, evidence, fix) from the report stored for its incident. The doctor runs after the
 * incident is opened, so the sender waits up to `verdictWaitMs` (from the row's creation) for the
 * report, then sends without it ("the diagnosis is not ready: /diagnose").
 */
import type { Store } from "../store/types.js";
import { verdictLines } from "./messages/verdict.js";
import type { TelegramOutboxPayload } from "./outbox.js";

export type Completion = { ready: true; text: string } | { ready: false };

export async function completeMessage(
  store: Store,
  payload: TelegramOutboxPayload,
  createdAt: number,
  now: number,
  verdictWaitMs: number,
): Promise<Completion> {
  if (!payload.incidentId) return { ready: true, text: payload.text };
  const incident = await store.incidents.get(payload.incidentId);
  const report = incident?.diagnosisId ? await store.reports.get(incident.diagnosisId) : undefined;
  if (report) return { ready: true, text: [payload.text, "", ...verdictLines(report.report)].join("\n") };
  if (now - createdAt < verdictWaitMs) return { ready: false };
  return { ready: true, text: `${payload.text}\n\nThe doctor's verdict is not ready yet: send /diagnose.` };
}

/** An outbox payload of the telegram channel, or undefined when the row is not one. */
export function telegramPayloadOf(json: unknown): TelegramOutboxPayload | undefined {
  if (json === null || typeof json !== "object" || Array.isArray(json)) return undefined;
  const o = json as { [k: string]: unknown };
  const get = (k: string) => (Object.hasOwn(o, k) ? o[k] : undefined);
  const chatId = get("chatId");
  const text = get("text");
  const kind = get("kind");
  if (typeof chatId !== "string" || typeof text !== "string" || typeof kind !== "string") return undefined;
  const incidentId = get("incidentId");
  return {
    chatId,
    text,
    kind,
    silent: get("silent") === true,
    ...(typeof incidentId === "string" ? { incidentId } : {}),
  };
}
