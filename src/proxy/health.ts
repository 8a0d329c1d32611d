/**
 * GET /health of the signing proxy: is it up, what the exchange sees of it, and is its key safe.
 *   {status, service, version, outbound_ip, upstream: {answers, http_status, code, key_accepted,
 *    latency_ms, checked_at}, key_fingerprint, uptime_s, key_can_withdraw}
 * `status` is "healthy" when the exchange answered the proxy's signed read with code 0, else
 * "degraded" (HTTP 200 either way: the proxy itself is up). `key_can_withdraw` comes from a
 * harmless `private/get-deposit-address` (reference §9: it needs the key's withdrawal setting):
 * true when it answers, false when refused while the read is accepted, null when unknown.
 *
 * Invariants: at most one refresh in flight; a snapshot is reused for `ttlMs` (a Docker
 * HEALTHCHECK or the doctor polling /health costs the exchange 2 calls per ttl at most); an
 * answer waits at most `waitMs` for the first snapshot. Never the key: only its fingerprint.
 */
import { randomUUID } from "node:crypto";
import { fetchOutboundIp } from "../exchange/cryptocom/outbound-ip.js";
import { parseJson, wireCode } from "../exchange/cryptocom/response.js";
import { TransportError } from "../exchange/cryptocom/transport.js";
import {
  canWithdrawFrom,
  WITHDRAW_PROBE_METHOD,
  WITHDRAW_PROBE_PARAMS,
} from "../exchange/cryptocom/withdraw-permission.js";
import { type Logger, logOutboundIp } from "../log/logger.js";
import { sleepOn, type TimeSource } from "../util/clock.js";
import type { ProxySigner } from "./signer.js";
import { proxyAtpVersion } from "./version.js";

export const PROXY_SERVICE = "crypto-proxy";

export interface UpstreamReading {
  answers: boolean;
  http_status: number | null;
  code: number | null;
  key_accepted: boolean | null;
  latency_ms: number | null;
  checked_at: string | null;
}

export interface ProxyHealthReport {
  status: "healthy" | "degraded";
  service: typeof PROXY_SERVICE;
  version: string;
  outbound_ip: string | null;
  upstream: UpstreamReading;
  key_fingerprint: string;
  uptime_s: number;
  key_can_withdraw: boolean | null;
}

interface Snapshot {
  at: number;
  outboundIp: string | null;
  upstream: UpstreamReading;
  keyCanWithdraw: boolean | null;
}

export interface HealthDeps {
  signer: ProxySigner;
  time: TimeSource;
  log: Logger;
  outboundIpUrl: string;
  localAddress: string | undefined;
  ttlMs?: number | undefined;
  waitMs?: number | undefined;
}

async function call(signer: ProxySigner, method: string, params: Record<string, string>) {
  try {
    const r = await signer.send(method, params, `health-${randomUUID()}`);
    const body = parseJson(r.text) as { code?: unknown } | undefined;
    const code = body && typeof body === "object" ? wireCode(body.code) : undefined;
    return { status: r.status, code: code ?? null, latencyMs: r.latencyMs };
  } catch (err) {
    if (!(err instanceof TransportError)) throw err;
    return undefined;
  }
}

/** Reads the key's withdraw ability from a deposit-address answer (the read being accepted). */

export class ProxyHealthMonitor {
  private readonly startedAt: number;
  private snapshot: Snapshot | undefined;
  private inFlight: Promise<Snapshot> | undefined;

  constructor(private readonly d: HealthDeps) {
    this.startedAt = d.time.now();
  }

  refresh(): Promise<Snapshot> {
    if (!this.inFlight) {
      this.inFlight = this.measure().finally(() => {
        this.inFlight = undefined;
      });
    }
    return this.inFlight;
  }

  private async measure(): Promise<Snapshot> {
    const { signer, time } = this.d;
    const [ip, read] = await Promise.all([
      fetchOutboundIp(signer.transport, this.d.outboundIpUrl),
      call(signer, "private/user-balance", {}),
    ]);
    if (ip.ip) {
      const via = `signing proxy${this.d.localAddress ? `, bound to ${this.d.localAddress}` : ""}`;
      logOutboundIp(this.d.log, ip.ip, via);
    }
    const accepted = read && read.code !== null ? read.code === 0 : null;
    const deposit = accepted
      ? await call(signer, WITHDRAW_PROBE_METHOD, { ...WITHDRAW_PROBE_PARAMS })
      : undefined;
    const keyCanWithdraw = accepted ? canWithdrawFrom(deposit?.code) : null;
    if (keyCanWithdraw) {
      this.d.log.warn(
        { key_fp: signer.keyFingerprint, key_can_withdraw: true },
        "proxy: its API key can withdraw; a trading bot never needs that (exchange.crypto.com → Settings → API Keys: turn withdrawal off, or create a key without it)",
      );
    }
    this.snapshot = {
      at: time.now(),
      outboundIp: ip.ip ?? null,
      keyCanWithdraw,
      upstream: {
        answers: read !== undefined,
        http_status: read?.status ?? null,
        code: read?.code ?? null,
        key_accepted: accepted,
        latency_ms: read ? Math.round(read.latencyMs) : null,
        checked_at: new Date(time.now()).toISOString(),
      },
    };
    return this.snapshot;
  }

  async report(): Promise<ProxyHealthReport> {
    const ttl = this.d.ttlMs ?? 30_000;
    const fresh = this.snapshot && this.d.time.now() - this.snapshot.at < ttl;
    if (!fresh) {
      const pending = this.refresh();
      // the first answer waits (bounded) for a measurement; later ones answer the last snapshot
      if (!this.snapshot) await Promise.race([pending, sleepOn(this.d.time, this.d.waitMs ?? 2_000)]);
    }
    const s = this.snapshot;
    const upstream: UpstreamReading = s?.upstream ?? {
      answers: false,
      http_status: null,
      code: null,
      key_accepted: null,
      latency_ms: null,
      checked_at: null,
    };
    return {
      status: upstream.key_accepted ? "healthy" : "degraded",
      service: PROXY_SERVICE,
      version: proxyAtpVersion(),
      outbound_ip: s?.outboundIp ?? null,
      upstream,
      key_fingerprint: this.d.signer.keyFingerprint,
      uptime_s: Math.floor((this.d.time.now() - this.startedAt) / 1000),
      key_can_withdraw: s?.keyCanWithdraw ?? null,
    };
  }
}
