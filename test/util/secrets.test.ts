/** How secrets and URLs are shown: last 4 characters only for long keys, URL user info always masked. */
import { describe, expect, it } from "vitest";
import { fingerprint, last4, maskSecret } from "../../src/util/secrets.js";
import { displayUrl, urlPassword } from "../../src/util/url.js";

describe("maskSecret and last4", () => {
  it("shows no character of a key shorter than 12 characters", () => {
    for (const key of ["a", "abcd", "abcde", "key-ABCD", "abcdefghijk"]) {
      expect(maskSecret(key, "key")).toBe(`len=${key.length} fp=${fingerprint(key)}`);
      expect(last4(key)).toBe("*".repeat(key.length));
      expect(last4(key)).not.toContain(key.slice(-1));
    }
  });

  it("shows the last 4 characters of a key of 12 characters or more", () => {
    expect(maskSecret("abcdefghWXYZ", "key")).toBe(`len=12 last4=WXYZ fp=${fingerprint("abcdefghWXYZ")}`);
    expect(last4("abcdefghWXYZ")).toBe("…WXYZ");
  });

  it("never shows a character of a secret, however long", () => {
    const secret = "s".repeat(40) + "TAIL";
    expect(maskSecret(secret, "secret")).toBe(`len=44 fp=${fingerprint(secret)}`);
  });
});

describe("displayUrl", () => {
  const pw = (p: string) => `<len=${p.length} fp=${fingerprint(p)}>`;

  it("masks the password and keeps the user name, host, path and query as written", () => {
    expect(displayUrl("https://user:pw@example.com/exchange/v1?x=1#h")).toBe(
      `https://user:${pw("pw")}@example.com/exchange/v1?x=1#h`,
    );
    expect(displayUrl("http://u:p%40ss@10.0.0.5:9000")).toBe(`http://u:${pw("p@ss")}@10.0.0.5:9000`);
  });

  it("masks a user name without a password whole (a token in that place)", () => {
    expect(displayUrl("https://ghp_TOKEN123@host/x")).toBe(`https://${pw("ghp_TOKEN123")}@host/x`);
  });

  it("takes the user info up to the last @ before the host, as URL parsers do", () => {
    const shown = displayUrl("https://u:p@ss@host/a@b");
    expect(shown).toBe(`https://u:${pw("p@ss")}@host/a@b`);
    expect(new URL("https://u:p@ss@host/a@b").host).toBe("host");
  });

  it("masks every URL inside a text and leaves the text around it alone", () => {
    const text = `connect_refused: http://u:hunter2@127.0.0.1:9/proxy/private and "https://a:b@h","x@y"`;
    const shown = displayUrl(text);
    expect(shown).not.toContain("hunter2");
    expect(shown).toBe(
      `connect_refused: http://u:${pw("hunter2")}@127.0.0.1:9/proxy/private and "https://a:${pw("b")}@h","x@y"`,
    );
  });

  it("leaves URLs without user info and other text unchanged", () => {
    for (const t of [
      "https://api.crypto.com/exchange/v1",
      "mail me@example.com",
      "not a url",
      "https://@host",
    ])
      expect(displayUrl(t)).toBe(t);
  });

  it("urlPassword reads the written and decoded password", () => {
    expect(urlPassword("postgres://atp:p%40ss@db/atp")).toEqual({ written: "p%40ss", decoded: "p@ss" });
    expect(urlPassword("postgres://atp@db/atp")).toBeUndefined();
    expect(urlPassword("nope")).toBeUndefined();
  });
});
