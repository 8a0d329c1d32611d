/**
 * A bot command: its name, its menu description and what it answers. Handlers change state only
 * through `deps.services` with the actor `telegram:<chat id>` (audited there).
 */
import type { InlineKeyboard } from "grammy";
import type { NotifierDeps } from "../deps.js";

export interface CommandCall {
  deps: NotifierDeps;
  chatId: string;
  actor: string;
  /** What follows the command, trimmed. */
  args: string;
  /** Creates a one-time confirmation for this chat; answers its callback data. */
  confirm(action: string): string;
}

export interface CommandReply {
  /** The body (HTML, mode badge added by the bot). */
  title: string;
  lines: string[];
  keyboard?: InlineKeyboard;
}

export interface BotCommandSpec {
  name: string;
  description: string;
  run(c: CommandCall): Promise<CommandReply>;
}
