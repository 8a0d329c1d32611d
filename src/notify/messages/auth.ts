/**
 * `auth.incident_opened` (with the doctor's verdict: cause, evidence, fix) and
 * `auth.incident_closed` (recovered). The verdict is stored AFTER the incident's event (the doctor
 * runs once the incident is open), so the opened message is completed at send time: its outbox
 * payload carries `incidentId` and the sender appends the verdict (sender-render.ts).
 */
import { b, code, escapeHtml, messageOf } from "../html.js";
import type { MessageRenderer } from "./types.js";
import { orQ } from "./types.js";

export const renderIncidentOpened: MessageRenderer = async ({ p, mode }) => {
  const codeText = p.text("code");
  const lines = [
    `Call: ${code(orQ(p.str("method")))} answered ${code(orQ(codeText))}${p.str("codeName") ? ` (${escapeHtml(orQ(p.str("codeName")))})` : ""}, category ${escapeHtml(orQ(p.str("category")))}`,
    "No private trading call is made until a probe succeeds; protection left undone is placed then.",
  ];
  const title = `🔐 ${b("CRITICAL: exchange authentication failing")}`;
  return { kind: "auth.incident_opened", text: messageOf(mode, title, lines) };
};

export const renderIncidentClosed: MessageRenderer = async ({ p, mode }) => {
  const ms = p.num("durationMs");
  const lines = [
    `Down for ${ms === undefined ? "?" : `${Math.round(ms / 1000)} s`}, ${p.num("probes") ?? "?"} probe(s).`,
    "Trading has resumed.",
  ];
  return {
    kind: "auth.incident_closed",
    text: messageOf(mode, `✅ ${b("Exchange authentication recovered")}`, lines),
  };
};
