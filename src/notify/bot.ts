/**
 * The command side: a grammy Bot (apiRoot = TELEGRAM_API_ROOT, long polling with getUpdates; the
 * webhook is deleted and the menu registered with setMyCommands at start).
 *
 * Invariants:
 * - Fail closed: an update whose chat is not an authorised chat id is counted and dropped before
 *   any handler runs — never answered, not even a callback acknowledgement.
 * - Every state change goes through TradingServices with the actor `telegram:<chat id>`.
 * - A confirmation button (/live on) carries a one-time random token bound to its chat, valid for
 *   60 s on the injected clock; a stale, foreign or reused token does nothing.
 */
import { randomBytes } from "node:crypto";
import { Bot, type Context } from "grammy";
import {
  addCommand,
  confirmLiveOn,
  LIVE_ON_ACTION,
  liveCommand,
  panicCommand,
  pauseCommand,
  removeCommand,
  resumeCommand,
} from "./commands/control.js";
import {
  balanceCommand,
  ordersCommand,
  portfolioCommand,
  positionsCommand,
  signalsCommand,
  watchlistCommand,
} from "./commands/reads.js";
import { settingsCommand } from "./commands/settings.js";
import { diagnoseCommand, helpCommand, startCommand, statusCommand } from "./commands/status.js";
import type { BotCommandSpec, CommandReply } from "./commands/types.js";
import type { NotifierDeps } from "./deps.js";
import { escapeHtml, messageOf } from "./html.js";

const CONFIRM_TTL_MS = 60_000;

export interface BotCounts {
  /** Updates from chats that are not authorised (dropped, never answered). */
  unauthorisedUpdates: number;
  commands: number;
}

export function commandSpecs(): BotCommandSpec[] {
  const all: BotCommandSpec[] = [];
  all.push(
    startCommand,
    helpCommand(() => all),
    statusCommand,
    balanceCommand,
    portfolioCommand,
    positionsCommand,
    watchlistCommand,
    signalsCommand,
    ordersCommand,
    diagnoseCommand,
    pauseCommand,
    resumeCommand,
    liveCommand,
    addCommand,
    removeCommand,
    panicCommand,
    settingsCommand,
  );
  return all;
}

export class CommandBot {
  readonly bot: Bot;
  readonly counts: BotCounts = { unauthorisedUpdates: 0, commands: 0 };
  private readonly allowed: ReadonlySet<string>;
  private readonly confirms = new Map<string, { chatId: string; action: string; expires: number }>();
  private readonly specs = commandSpecs();
  private running: Promise<void> | undefined;

  constructor(private readonly deps: NotifierDeps) {
    const t = deps.telegram;
    this.allowed = new Set(t.chatIds);
    this.bot = new Bot(t.botToken ?? "", {
      client: { apiRoot: t.apiRoot.replace(/\/+$/, ""), timeoutSeconds: 60 },
    });
    this.bot.use(async (ctx, next) => {
      const chat = ctx.chat?.id ?? ctx.callbackQuery?.message?.chat.id;
      if (chat === undefined || !this.allowed.has(String(chat))) {
        this.counts.unauthorisedUpdates++;
        return;
      }
      await next();
    });
    for (const spec of this.specs)
      this.bot.command(spec.name, (ctx) => this.runCommand(ctx, spec, String(ctx.match ?? "")));
    this.bot.on("callback_query:data", (ctx) => this.onCallback(ctx));
    this.bot.on("message:text", (ctx) =>
      this.reply(ctx, { title: "Unknown command", lines: ["/help lists the commands."] }),
    );
    this.bot.catch((err) => deps.logger.error({ err: err.message }, "telegram: update handling failed"));
  }

  async start(): Promise<void> {
    await this.bot.init();
    await this.bot.api.setMyCommands(
      this.specs.map((s) => ({ command: s.name, description: s.description })),
    );
    let started!: () => void;
    const ready = new Promise<void>((r) => {
      started = r;
    });
    this.running = this.bot
      .start({ drop_pending_updates: false, timeout: 25, onStart: () => started() })
      .catch((e) =>
        this.deps.logger.error(
          { err: e instanceof Error ? e.message : String(e) },
          "telegram: polling stopped",
        ),
      );
    await Promise.race([ready, this.running]);
  }

  async stop(): Promise<void> {
    if (this.bot.isRunning()) await this.bot.stop();
    await this.running;
  }

  private async mode() {
    return this.deps.engine.mode().catch(() => "DRY_RUN" as const);
  }

  private async reply(ctx: Context, r: CommandReply): Promise<void> {
    await ctx.reply(messageOf(await this.mode(), r.title, r.lines), {
      parse_mode: "HTML",
      link_preview_options: { is_disabled: true },
      ...(r.keyboard ? { reply_markup: r.keyboard } : {}),
    });
  }

  private async runCommand(ctx: Context, spec: BotCommandSpec, args: string): Promise<void> {
    this.counts.commands++;
    const chatId = String(ctx.chat?.id);
    let r: CommandReply;
    try {
      r = await spec.run({
        deps: this.deps,
        chatId,
        actor: `telegram:${chatId}`,
        args: args.trim(),
        confirm: (action) => this.newConfirmation(chatId, action),
      });
    } catch (e) {
      r = { title: `/${spec.name} failed`, lines: [escapeHtml(e instanceof Error ? e.message : String(e))] };
    }
    await this.reply(ctx, r);
  }

  private newConfirmation(chatId: string, action: string): string {
    const token = randomBytes(8).toString("hex");
    this.confirms.set(token, { chatId, action, expires: this.deps.time.now() + CONFIRM_TTL_MS });
    return `confirm:${token}`;
  }

  private async onCallback(ctx: Context): Promise<void> {
    const data = ctx.callbackQuery?.data ?? "";
    const chatId = String(ctx.callbackQuery?.message?.chat.id);
    let text = "Cancelled.";
    if (data.startsWith("confirm:")) {
      const token = data.slice("confirm:".length);
      const c = this.confirms.get(token);
      this.confirms.delete(token);
      if (!c || c.chatId !== chatId || c.expires < this.deps.time.now())
        text = "This confirmation has expired: send the command again.";
      else if (c.action === LIVE_ON_ACTION)
        text = await confirmLiveOn({ deps: this.deps, actor: `telegram:${chatId}` });
    }
    await ctx.answerCallbackQuery({ text });
    await ctx.editMessageText(messageOf(await this.mode(), escapeHtml(text), []), { parse_mode: "HTML" });
  }
}
