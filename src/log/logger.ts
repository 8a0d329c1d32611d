/**
 * pino logger: JSON in production, human-readable on a TTY (or LOG_PRETTY=true). Every record passes
 * through the Redactor, so a secret cannot reach the log even if a caller passes it by mistake.
 *
 * Tags the seed greps for: auth lines carry `tag: "CRYPTO_AUTH_DIAG"` and the words in the message;
 * the outbound IP line carries `CRYPTO_COM_OUTBOUND_IP`. Use `authLog()` / `logOutboundIp()`.
 */

import { createRequire } from "node:module";
import pino, { type Logger } from "pino";
import type PinoPretty from "pino-pretty";
import { Redactor, type SecretValue } from "./redact.js";

export type { Logger } from "pino";

export interface LoggerOptions {
  level?: string;
  secrets?: readonly SecretValue[];
  /** Human-readable output; default: stdout is a TTY. */
  pretty?: boolean;
  /** Destination stream (tests); default process.stderr (so a closed stderr is handled with stdout, in one place). */
  destination?: NodeJS.WritableStream;
  name?: string;
}

export const AUTH_TAG = "CRYPTO_AUTH_DIAG";
export const OUTBOUND_IP_TAG = "CRYPTO_COM_OUTBOUND_IP";

/** pino-pretty, loaded only for a human reader (a TTY or LOG_PRETTY=true): services never load it. */
function prettyStream(): typeof PinoPretty {
  return createRequire(import.meta.url)("pino-pretty") as typeof PinoPretty;
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const redactor = new Redactor(opts.secrets ?? []);
  const pretty =
    opts.pretty ?? (process.env.LOG_PRETTY ? process.env.LOG_PRETTY === "true" : process.stdout.isTTY);
  const options: pino.LoggerOptions = {
    level: opts.level ?? process.env.LOG_LEVEL ?? "info",
    base: opts.name ? { name: opts.name } : null,
    hooks: {
      // structured pass: secret-named fields are masked even when their value is not configured
      logMethod(args, method) {
        const scrubbed = args.map((a) => redactor.value(a)) as Parameters<typeof method>;
        method.apply(this, scrubbed);
      },
    },
  };
  const sink: pino.DestinationStream =
    pretty && !opts.destination
      ? prettyStream()({
          colorize: true,
          translateTime: "SYS:HH:MM:ss.l",
          ignore: "pid,hostname",
          destination: process.stderr,
        })
      : ((opts.destination as pino.DestinationStream | undefined) ?? process.stderr);
  // line pass: every serialised line, child-logger bindings included (pino serialises those
  // once, outside the hooks), has every configured secret and every URL's user info replaced
  // before it is written
  const out: pino.DestinationStream = { write: (line: string) => sink.write(redactor.line(line)) };
  return pino(options, out);
}

/** Log a CRYPTO_AUTH_DIAG line (the tag is in the record and in the message, so grep finds it). */
export function authLog(
  log: Logger,
  level: "info" | "warn" | "error" | "debug",
  fields: object,
  msg: string,
): void {
  log[level]({ tag: AUTH_TAG, ...fields }, `[${AUTH_TAG}] ${msg}`);
}

/** Log the outbound IP the exchange sees, with the CRYPTO_COM_OUTBOUND_IP tag the seed greps for. */
export function logOutboundIp(log: Logger, ip: string, via: string): void {
  log.info(
    { tag: OUTBOUND_IP_TAG, outbound_ip: ip, via },
    `[${AUTH_TAG}] ${OUTBOUND_IP_TAG}: ${ip} (via ${via})`,
  );
}

/** A logger that discards everything (tests, libraries used without logging). */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
