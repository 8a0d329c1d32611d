/**
 * `atp start --demo-fault ip_not_whitelisted` (a real process, the demo): the startup doctor's
 * stored report names the cause, the auth breaker opens (the API's exchange state is auth_failed
 * with the reason), `POST /api/demo/fault {"cause": null}` (with the printed token) restores the
 * demo key, and the breaker's probe closes the incident by itself (its first probe comes 60 s after
 * it opened: src/trading/breaker/breaker.ts DEFAULT_PROBE_INTERVALS_MS). Unknown causes are refused.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleCli, type CliBundle } from "../helpers/cli-bundle.js";
import { freePort, getJson, StartedAtp, stopAllPlatform, until } from "./proc.js";

let bundle: CliBundle;
let dir: string;

beforeAll(async () => {
  bundle = await bundleCli({ packages: "external" });
  dir = mkdtempSync(join(tmpdir(), "atp-demo-fault-"));
});

afterAll(async () => {
  await stopAllPlatform();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function exchangeDetail(api: string): Promise<string> {
  const r = await getJson(`${api}/api/health/ready`);
  return (r.body as { checks: { name: string; detail: string }[] }).checks.find((c) => c.name === "exchange")!
    .detail;
}

describe("atp start --demo-fault", () => {
  it("refuses an unknown cause, listing the ones it knows (exit 2)", async () => {
    const p = new StartedAtp(bundle.spawn(["start", "--demo-fault", "solar_flare"], {}, dir));
    expect((await p.exited(15_000)).code).toBe(2);
    expect(p.stderr).toMatch(/not one of: ip_not_whitelisted, clock_skew, key_invalid_or_revoked/);
  }, 20_000);

  it("ip_not_whitelisted: diagnosed at startup, breaker open, cleared through the API, recovered by the probe", async () => {
    const port = await freePort();
    const api = `http://127.0.0.1:${port}`;
    const atp = new StartedAtp(
      bundle.spawn(
        ["start", "--demo-fault", "ip_not_whitelisted", "--reconcile-s", "1"],
        { PORT: String(port) },
        dir,
      ),
    );
    await atp.line(/^atp start: ready \(/, 20_000);
    expect(atp.lines).toContain("  demo fault: ip_not_whitelisted (switch it with POST /api/demo/fault)");
    const token = (await atp.line(/^ {2}API token/, 1_000)).split(": ").pop()!;

    const last = await until("the startup report", 20_000, async () => {
      const d = (await getJson(`${api}/api/diagnostics`)).body as {
        last: { trigger: string; top_cause: string | null } | null;
      };
      return d.last ? d.last : undefined;
    });
    expect(last).toMatchObject({ trigger: "startup", top_cause: "ip_not_whitelisted" });

    const open = await until("the breaker open", 20_000, async () => {
      const d = await exchangeDetail(api);
      return d.startsWith("auth_failed: ") ? d : undefined;
    });
    expect(open).toMatch(
      /refuses our credentials \(40103 ip_not_whitelisted on \w+\) since .*trading paused/,
    );

    const res = await fetch(`${api}/api/demo/fault`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ cause: null }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ cause: null });

    await until("the breaker closed by its probe", 80_000, async () => {
      const d = await exchangeDetail(api);
      return d.startsWith("auth_failed") ? undefined : d;
    });
    expect(atp.running).toBe(true);
    atp.child.kill("SIGTERM");
    expect((await atp.exited(12_000)).code).toBe(0);
  }, 120_000);
});
