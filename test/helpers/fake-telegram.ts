/**
 * A fake Telegram Bot API server over loopback HTTP, for tests that point TELEGRAM_API_ROOT at it:
 * `getMe`, `getUpdates` (long polling with offset and timeout), `sendMessage`, `editMessageText`,
 * `answerCallbackQuery`, `setMyCommands`, `deleteWebhook`.
 *
 * Invariants:
 * - Every request is recorded (method, params, bot token ok) in arrival order, before it is answered.
 * - Scripted failures (`fail`) answer the next call(s) of a method as Telegram would (429 with
 *   `parameters.retry_after`, 403, 400, 5xx); `hold` leaves the next call of a method unanswered
 *   (a process killed mid-send). A wrong token answers 401; a chat not in `chats` answers 400.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeCall {
  method: string;
  params: Record<string, unknown>;
}

type Failure = { code: number; description: string; retryAfter?: number };

export interface FakeTelegram {
  apiRoot: string;
  token: string;
  calls: FakeCall[];
  /** Calls of one method, in order. */
  callsOf(method: string): FakeCall[];
  /** Texts sent to a chat, in order (sendMessage). */
  sent(chatId?: string): { chatId: string; text: string; params: Record<string, unknown> }[];
  chats: Set<string>;
  fail(method: string, failure: Failure, times?: number): void;
  hold(method: string): void;
  pushUpdate(update: Record<string, unknown>): number;
  message(chatId: string, text: string, fromId?: number): number;
  callback(chatId: string, data: string, messageId: number): number;
  close(): Promise<void>;
}

export async function startFakeTelegram(
  opts: { token?: string; chats?: string[] } = {},
): Promise<FakeTelegram> {
  const token = opts.token ?? "123456:TEST-token";
  const calls: FakeCall[] = [];
  const failures = new Map<string, Failure[]>();
  const holds = new Map<string, number>();
  const updates: Record<string, unknown>[] = [];
  const pollers = new Set<() => void>();
  const held = new Set<ServerResponse>();
  let nextUpdateId = 1;
  let nextMessageId = 100;

  const reply = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  const ok = (res: ServerResponse, result: unknown) => reply(res, 200, { ok: true, result });
  const err = (res: ServerResponse, f: Failure) =>
    reply(res, f.code, {
      ok: false,
      error_code: f.code,
      description: f.description,
      ...(f.retryAfter !== undefined ? { parameters: { retry_after: f.retryAfter } } : {}),
    });

  async function body(req: IncomingMessage): Promise<Record<string, unknown>> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    if (!text) return {};
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch {
      return Object.fromEntries(new URLSearchParams(text));
    }
  }

  function pendingUpdates(offset: number) {
    return updates.filter((u) => (u.update_id as number) >= offset);
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const m = /^\/bot([^/]+)\/(\w+)$/.exec(req.url ?? "");
    const params = await body(req);
    if (!m) return reply(res, 404, { ok: false, error_code: 404, description: "Not Found" });
    const [, tok, method] = m as unknown as [string, string, string];
    calls.push({ method, params });
    if (tok !== token) return err(res, { code: 401, description: "Unauthorized" });
    const f = failures.get(method);
    if (f && f.length > 0) return err(res, f.shift() as Failure);
    const h = holds.get(method) ?? 0;
    if (h > 0) {
      holds.set(method, h - 1);
      held.add(res);
      return;
    }
    const chat = String(params.chat_id ?? "");
    switch (method) {
      case "getMe":
        return ok(res, { id: 999, is_bot: true, first_name: "atp", username: "atp_test_bot" });
      case "deleteWebhook":
      case "setMyCommands":
      case "answerCallbackQuery":
        return ok(res, true);
      case "sendMessage":
        if (!fake.chats.has(chat)) return err(res, { code: 400, description: "Bad Request: chat not found" });
        return ok(res, {
          message_id: nextMessageId++,
          date: 0,
          chat: { id: Number(chat), type: "private" },
          text: params.text,
        });
      case "editMessageText":
        return ok(res, {
          message_id: Number(params.message_id),
          date: 0,
          chat: { id: Number(chat), type: "private" },
          text: params.text,
        });
      case "getUpdates": {
        const offset = Number(params.offset ?? 0);
        const timeoutS = Math.min(Number(params.timeout ?? 0), 2);
        const answer = () => ok(res, pendingUpdates(offset).slice(0, Number(params.limit ?? 100)));
        if (pendingUpdates(offset).length > 0 || timeoutS === 0) return answer();
        let done = false;
        const finish = () => {
          if (done) return;
          done = true;
          pollers.delete(finish);
          clearTimeout(t);
          if (!res.writableEnded && !res.destroyed) answer();
        };
        const t = setTimeout(finish, timeoutS * 1000);
        pollers.add(finish);
        res.on("close", finish);
        return;
      }
      default:
        return reply(res, 404, { ok: false, error_code: 404, description: "Not Found: method not found" });
    }
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => reply(res, 500, { ok: false, error_code: 500, description: "fake failed" }));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;

  const fake: FakeTelegram = {
    apiRoot: `http://127.0.0.1:${port}`,
    token,
    calls,
    callsOf: (method) => calls.filter((c) => c.method === method),
    sent: (chatId) =>
      calls
        .filter(
          (c) => c.method === "sendMessage" && (chatId === undefined || String(c.params.chat_id) === chatId),
        )
        .map((c) => ({ chatId: String(c.params.chat_id), text: String(c.params.text), params: c.params })),
    chats: new Set(opts.chats ?? ["42"]),
    fail(method, failure, times = 1) {
      const list = failures.get(method) ?? [];
      for (let n = 0; n < times; n++) list.push(failure);
      failures.set(method, list);
    },
    hold(method) {
      holds.set(method, (holds.get(method) ?? 0) + 1);
    },
    pushUpdate(update) {
      const id = nextUpdateId++;
      updates.push({ update_id: id, ...update });
      for (const p of [...pollers]) p();
      return id;
    },
    message(chatId, text, fromId = Number(chatId)) {
      const command = /^\/\w+/.exec(text);
      return fake.pushUpdate({
        message: {
          message_id: nextMessageId++,
          date: 1_767_614_400,
          chat: { id: Number(chatId), type: "private" },
          from: { id: fromId, is_bot: false, first_name: "user" },
          text,
          ...(command ? { entities: [{ type: "bot_command", offset: 0, length: command[0].length }] } : {}),
        },
      });
    },
    callback(chatId, data, messageId) {
      return fake.pushUpdate({
        callback_query: {
          id: `cb${nextUpdateId}`,
          chat_instance: "ci",
          from: { id: Number(chatId), is_bot: false, first_name: "user" },
          data,
          message: {
            message_id: messageId,
            date: 0,
            chat: { id: Number(chatId), type: "private" },
            text: "",
          },
        },
      });
    },
    async close() {
      for (const p of [...pollers]) p();
      for (const r of held) r.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  return fake;
}

/** Polls `cond` with short real waits (real loopback I/O must complete), failing after `ms`. */
export async function until(
  cond: () => boolean | Promise<boolean>,
  ms = 5000,
  what = "condition",
): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
