/**
 * The proxy's one way to the exchange: signs `{method, params}` with its own key and secret through
 * the client's envelope code (serialised once, signed as sent: exchange/cryptocom/envelope.ts) and
 * POSTs it to `{upstream}/{method}` over one HttpTransport (bound to EXCHANGE_LOCAL_ADDRESS when
 * set, so the exchange sees the whitelisted address).
 *
 * Invariants:
 * - Nonces and ids come from one NonceSource, taken synchronously right before the request is
 *   written: concurrent requests get strictly increasing nonces, in the order they are sent.
 * - With `authDiag`, each signed request is logged as a CRYPTO_AUTH_DIAG line with the client's
 *   masking rules (method, id, nonce, lengths, key fingerprint, never the key, secret or sig).
 */
import { buildPrivateEnvelope } from "../exchange/cryptocom/envelope.js";
import { NonceSource } from "../exchange/cryptocom/nonce.js";
import type { Params } from "../exchange/cryptocom/signing.js";
import type { HttpResponse, HttpTransport } from "../exchange/cryptocom/transport.js";
import { authLog, type Logger } from "../log/logger.js";
import type { Clock } from "../util/clock.js";
import { fingerprint } from "../util/secrets.js";

export interface ProxySignerOptions {
  upstreamBaseUrl: string;
  apiKey: string;
  apiSecret: string;
  localAddress: string | undefined;
  /** The upstream transport (bound to the local address; built by signing-proxy.ts). */
  transport: HttpTransport;
  clock: Clock;
  log: Logger;
  authDiag: boolean;
}

export class ProxySigner {
  readonly transport: HttpTransport;
  readonly upstream: string;
  readonly keyFingerprint: string;
  private readonly nonces: NonceSource;

  constructor(private readonly o: ProxySignerOptions) {
    this.upstream = o.upstreamBaseUrl.replace(/\/+$/, "");
    this.keyFingerprint = fingerprint(o.apiKey);
    this.nonces = new NonceSource(() => o.clock.now());
    this.transport = o.transport;
  }

  /** Signs and sends; throws UnsignableParamError (bad params) or TransportError (no answer). */
  send(method: string, params: Params, rid: string): Promise<HttpResponse> {
    const id = this.nonces.nextId();
    const nonce = this.nonces.next();
    const env = buildPrivateEnvelope({ method, id, nonce, apiKey: this.o.apiKey, params }, this.o.apiSecret);
    if (this.o.authDiag) {
      authLog(
        this.o.log,
        "info",
        {
          rid,
          method,
          id,
          nonce,
          server_time_epoch: this.o.clock.now(),
          param_string_len: env.paramStringLength,
          string_to_sign_len: env.stringToSignLength,
          key_fp: this.keyFingerprint,
          local_address: this.o.localAddress,
        },
        `signing process (safe): ${method}`,
      );
    }
    return this.transport.post(`${this.upstream}/${method}`, env.body);
  }

  close(): Promise<void> {
    return this.transport.close();
  }
}
