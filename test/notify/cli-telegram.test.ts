import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type FakeTelegram, startFakeTelegram } from "../helpers/fake-telegram.js";
import { runMain } from "../helpers/in-process.js";

let fake: FakeTelegram;
let cwd: string;
afterEach(async () => {
  await fake?.close();
  rmSync(cwd, { recursive: true, force: true });
});

async function run(env: Record<string, string>) {
  cwd = mkdtempSync(join(tmpdir(), "atp-tg-cli-"));
  return runMain(["telegram", "test"], { cwd, env: { TELEGRAM_API_ROOT: fake.apiRoot, ...env } });
}

describe("atp telegram test", () => {
  it("sends one test message and exits 0", async () => {
    fake = await startFakeTelegram({ chats: ["42", "43"] });
    const r = await run({ TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_CHAT_ID: "42, 43" });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("PASS getMe: the token belongs to @atp_test_bot");
    expect(r.stdout).toContain("PASS sendMessage to 42");
    expect(fake.sent().map((m) => m.chatId)).toEqual(["42", "43"]);
    expect(fake.sent()[0]!.text).toMatch(/^<b>\[🧪 DRY RUN\]<\/b>/);
    expect(r.stdout + r.stderr).not.toContain(fake.token);
  });

  it("explains a bad token (401), a chat not found (400) and a blocked bot (403), exit 1", async () => {
    fake = await startFakeTelegram({ chats: ["42"] });
    const bad = await run({ TELEGRAM_BOT_TOKEN: "1:wrong-token", TELEGRAM_CHAT_ID: "42" });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain("FAIL getMe: 401 Unauthorized");
    expect(bad.stdout).toContain("the bot token is wrong or revoked");
    expect(bad.stdout).not.toContain("wrong-token");
    rmSync(cwd, { recursive: true, force: true });
    const missing = await run({ TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_CHAT_ID: "777" });
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain("FAIL sendMessage to 777: 400 Bad Request: chat not found");
    expect(missing.stdout).toContain("check TELEGRAM_CHAT_ID");
    rmSync(cwd, { recursive: true, force: true });
    fake.fail("sendMessage", { code: 403, description: "Forbidden: bot was blocked by the user" });
    const blocked = await run({ TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_CHAT_ID: "42" });
    expect(blocked.code).toBe(1);
    expect(blocked.stdout).toContain("403 Forbidden: bot was blocked by the user");
    expect(blocked.stdout).toContain("unblock it");
  });

  it("exits 2 without a token or a chat id", async () => {
    fake = await startFakeTelegram();
    const r = await run({ TELEGRAM_CHAT_ID: "42" });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("TELEGRAM_BOT_TOKEN is not set");
    expect(fake.calls).toHaveLength(0);
  });
});
