/**
 * API keys the emulated exchange knows: secret, account, permissions, IP whitelist, enabled flag.
 * `ip_whitelist` absent or empty means any IP; entries are exact addresses or IPv4 CIDR blocks
 * (`10.0.0.0/8`), checked when the configuration is read (`ipEntryProblem`). IPv4-mapped IPv6
 * addresses (`::ffff:127.0.0.1`), of callers and of entries, compare as IPv4.
 */
import { isIP, isIPv4, isIPv6 } from "node:net";
import type { Permission } from "../exchange/cryptocom/endpoints.js";
import { maskSecret } from "../util/secrets.js";
import type { KeyConfig } from "./config.js";

export interface KeyRecord {
  apiKey: string;
  secret: string;
  account: string;
  permissions: ReadonlySet<Permission>;
  ipWhitelist: readonly string[];
  enabled: boolean;
}

/** The caller address as the exchange would see it (IPv4-mapped IPv6 unwrapped). */
export function normaliseIp(address: string | undefined): string {
  if (!address) return "";
  return address.startsWith("::ffff:") && address.includes(".") ? address.slice(7) : address;
}

function ipv4ToInt(ip: string): number | undefined {
  const parts = ip.split(".");
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = n * 256 + Number(p);
  }
  return n;
}

/**
 * Why an `ip_whitelist` entry can never match (undefined when it is fine): entries are exact IPv4
 * or IPv6 addresses, or IPv4 CIDR blocks with a prefix length of 0–32.
 */
export function ipEntryProblem(entry: string): string | undefined {
  const slash = entry.indexOf("/");
  if (slash < 0) {
    if (isIP(entry) !== 0) return undefined;
    return `"${entry}" is not an IP address: use an exact address like "203.0.113.7" or "::1", or an IPv4 CIDR block like "10.0.0.0/8"`;
  }
  const base = entry.slice(0, slash);
  const bits = entry.slice(slash + 1);
  if (isIPv6(base)) {
    return `"${entry}": IPv6 CIDR blocks are not supported; list the exact IPv6 addresses`;
  }
  if (!isIPv4(base)) {
    return `"${entry}" is not a CIDR block: "${base}" is not an IPv4 address (write it like "10.0.0.0/8")`;
  }
  if (!/^\d{1,2}$/.test(bits) || Number(bits) > 32) {
    return `"${entry}" is not a CIDR block: the prefix length after "/" must be 0 to 32 (like "10.0.0.0/8")`;
  }
  return undefined;
}

export function ipAllowed(whitelist: readonly string[], ip: string): boolean {
  if (whitelist.length === 0) return true;
  const caller = normaliseIp(ip);
  for (const entry of whitelist) {
    if (entry === caller) return true;
    const slash = entry.indexOf("/");
    if (slash > 0) {
      const base = ipv4ToInt(entry.slice(0, slash));
      const bits = Number(entry.slice(slash + 1));
      const c = ipv4ToInt(caller);
      if (base === undefined || c === undefined || !Number.isInteger(bits) || bits < 0 || bits > 32) continue;
      const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
      if ((base & mask) >>> 0 === (c & mask) >>> 0) return true;
    }
  }
  return false;
}

/** True for loopback callers (127.0.0.0/8 and ::1), the only ones allowed on the admin API. */
export function isLoopback(address: string | undefined): boolean {
  const ip = normaliseIp(address);
  return ip === "::1" || ip.startsWith("127.");
}

export function toKeyRecord(k: KeyConfig): KeyRecord {
  return {
    apiKey: k.api_key,
    secret: k.secret,
    account: k.account,
    permissions: new Set(k.permissions),
    ipWhitelist: (k.ip_whitelist ?? []).map((e) => normaliseIp(e)),
    enabled: k.enabled,
  };
}

/** A key as the admin API shows it: the secret masked (length and fingerprint only). */
export function keyToPublic(k: KeyRecord): Record<string, unknown> {
  return {
    api_key: k.apiKey,
    secret: maskSecret(k.secret, "secret"),
    account: k.account,
    permissions: [...k.permissions],
    ip_whitelist: [...k.ipWhitelist],
    enabled: k.enabled,
  };
}

export class KeyStore {
  private readonly keys = new Map<string, KeyRecord>();

  constructor(keys: readonly KeyConfig[]) {
    this.replace(keys);
  }

  replace(keys: readonly KeyConfig[]): void {
    this.keys.clear();
    for (const k of keys) this.keys.set(k.api_key, toKeyRecord(k));
  }

  upsert(k: KeyConfig): KeyRecord {
    const r = toKeyRecord(k);
    this.keys.set(r.apiKey, r);
    return r;
  }

  remove(apiKey: string): boolean {
    return this.keys.delete(apiKey);
  }

  get(apiKey: string): KeyRecord | undefined {
    return this.keys.get(apiKey);
  }

  list(): KeyRecord[] {
    return [...this.keys.values()];
  }
}
