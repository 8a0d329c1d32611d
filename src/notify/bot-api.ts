/**
 * The Bot API calls the notifier makes, over grammy's `Api` (apiRoot = TELEGRAM_API_ROOT), and the
 * classification of their failures by Telegram's `error_code` and `parameters`, never by text.
 *
 * Invariants:
 * - `sent`: Telegram answered ok. `retry`: certainly not delivered (429 with its `retry_after`,
 *   5xx, connection refused before the request was written). `refused`: Telegram will not deliver
 *   it (400 chat not found, 401 bad token, 403 bot blocked, …): retrying cannot help.
 *   `unknown`: the request may have reached Telegram (timeout, reset after writing): never re-sent.
 * - The token is part of the request URL only; no error text produced here contains it.
 */
import { Api, GrammyError, HttpError } from "grammy";

export type SendOutcome =
  | { status: "sent"; messageId: number }
  | { status: "retry"; retryAfterS: number | undefined; code: number | undefined; detail: string }
  | { status: "refused"; code: number; detail: string }
  | { status: "unknown"; detail: string };

/** Connection failures that happen before a request byte leaves (safe to retry). */
const NOT_SENT_CODES: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
]);

export function createBotApi(token: string, apiRoot: string, timeoutSeconds = 30): Api {
  return new Api(token, { apiRoot: apiRoot.replace(/\/+$/, ""), timeoutSeconds });
}

/** Removes the token from a text (grammy's messages may name the URL). */
export function withoutToken(text: string, token: string): string {
  return token ? text.split(token).join("<token>") : text;
}

export function classifySendError(e: unknown, token: string): Exclude<SendOutcome, { status: "sent" }> {
  if (e instanceof GrammyError) {
    const detail = withoutToken(e.description, token);
    if (e.error_code === 429)
      return { status: "retry", retryAfterS: e.parameters.retry_after, code: 429, detail };
    if (e.error_code >= 500) return { status: "retry", retryAfterS: undefined, code: e.error_code, detail };
    return { status: "refused", code: e.error_code, detail };
  }
  if (e instanceof HttpError) {
    const cause = e.error as { code?: unknown; errno?: unknown } | undefined;
    const c =
      typeof cause?.code === "string" ? cause.code : typeof cause?.errno === "string" ? cause.errno : "";
    const detail = withoutToken(`network: ${c || "error"}`, token);
    if (NOT_SENT_CODES.has(c)) return { status: "retry", retryAfterS: undefined, code: undefined, detail };
    return { status: "unknown", detail };
  }
  return { status: "unknown", detail: withoutToken(e instanceof Error ? e.message : String(e), token) };
}

export async function sendHtml(
  api: Api,
  token: string,
  msg: { chatId: string; text: string; silent: boolean },
): Promise<SendOutcome> {
  try {
    const m = await api.sendMessage(msg.chatId, msg.text, {
      parse_mode: "HTML",
      disable_notification: msg.silent,
      link_preview_options: { is_disabled: true },
    });
    return { status: "sent", messageId: m.message_id };
  } catch (e) {
    return classifySendError(e, token);
  }
}

/** What a Telegram failure code means for the operator (`atp telegram test`, logs). */
export function explainTelegramCode(code: number): string {
  if (code === 401)
    return "the bot token is wrong or revoked: copy it again from @BotFather into TELEGRAM_BOT_TOKEN";
  if (code === 400)
    return "chat not found: check TELEGRAM_CHAT_ID, and send /start to the bot from that chat first";
  if (code === 403)
    return "the bot was blocked by the user or removed from the chat: unblock it or add it again";
  if (code === 404) return "Telegram does not know this bot: check TELEGRAM_BOT_TOKEN and TELEGRAM_API_ROOT";
  if (code === 429) return "rate limited by Telegram: wait and try again";
  return "Telegram refused the request";
}
