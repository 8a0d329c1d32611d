/**
 * How the doctor reads a failure on the way to the exchange, the IP echo or the proxy. The failure
 * itself is the shared transport's (`TransportError`: stage dns / connect / tls / write / response,
 * kind, errno, how far the request got), the same taxonomy the client and the trading engine see;
 * the doctor only words it, in one exhaustive function, so the two cannot drift apart: a new
 * transport kind does not compile until it is read here.
 *
 * Invariants: read by error code, stage and kind, never by message text; the detail names the host,
 * never a URL's user info.
 */
import type { TransportError } from "../exchange/cryptocom/transport.js";

/**
 * The doctor's word for where the path broke (report text and confidence): `tcp` covers a refused,
 * reset or unbindable connection, `timeout` an answer that did not come within the call timeout,
 * `deadline` the run's overall deadline.
 */
export type FailureReading = "dns" | "tcp" | "tls" | "timeout" | "deadline" | "other";

export interface PathFailure {
  reading: FailureReading;
  /** Error code (ENOTFOUND, ECONNREFUSED, CERT_HAS_EXPIRED...) when there is one. */
  errno: string | undefined;
  /** Human description (no message text of the error is used for classification). */
  detail: string;
  latencyMs: number;
  /** The transport failure it was read from (undefined for the doctor's own DNS lookup). */
  transport: TransportError | undefined;
}

export interface ReadContext {
  /** The call timeout, named in timeout details. */
  callMs: number;
  /** EXCHANGE_LOCAL_ADDRESS, named when it cannot be bound. */
  localAddress: string | undefined;
}

function hostOf(url: string): { host: string; hostname: string } {
  try {
    const u = new URL(url);
    return { host: u.host, hostname: u.hostname };
  } catch {
    return { host: url, hostname: url };
  }
}

/** The doctor's reading of a transport failure. */
export function readTransportFailure(err: TransportError, ctx: ReadContext): PathFailure {
  const { host, hostname } = hostOf(err.url);
  const errno = err.errno;
  const read = (reading: FailureReading, detail: string): PathFailure => ({
    reading,
    errno,
    detail,
    latencyMs: err.latencyMs,
    transport: err,
  });
  const noAnswer = `connected, but no answer within ${ctx.callMs} ms`;
  if (errno === "ERR_INVALID_URL") return read("other", `${err.url} is not a URL`);
  if (errno === "EADDRNOTAVAIL") {
    return read(
      "tcp",
      `cannot bind to local address ${ctx.localAddress ?? "?"} (not an address of this host)`,
    );
  }
  if (err.stage === "tls") return read("tls", `TLS failed (${errno})`);
  switch (err.kind) {
    case "aborted":
      return read("deadline", "the doctor's overall deadline was reached");
    case "request_timeout":
      return read("timeout", err.connected ? noAnswer : `no connection within ${ctx.callMs} ms`);
    case "headers_timeout":
    case "body_timeout":
      return read("timeout", noAnswer);
    case "dns":
      return read("dns", `DNS lookup of ${hostname} failed (${errno})`);
    case "connect_refused":
      return read("tcp", `connection to ${host} refused (${errno})`);
    case "connect_timeout":
      return read("tcp", `no TCP connection to ${host} (${errno})`);
    case "reset":
      return read("tcp", `connection to ${host} reset (${errno})`);
    case "too_large":
      return read("other", `the answer from ${host} is too large`);
    case "other":
      return read("other", `request to ${host} failed (${errno ?? "unknown error"})`);
    default: {
      const unread: never = err.kind;
      return read("other", `request to ${host} failed (${String(unread)})`);
    }
  }
}

/** The doctor's own DNS lookup of the exchange host (reachability check) failed or did not answer. */
export function dnsFailure(host: string, errno: string, ms: number, timedOut: boolean): PathFailure {
  return {
    reading: "dns",
    errno,
    detail: timedOut
      ? `DNS lookup of ${host} did not answer within ${Math.round(ms)} ms`
      : `DNS lookup of ${host} failed (${errno})`,
    latencyMs: ms,
    transport: undefined,
  };
}
