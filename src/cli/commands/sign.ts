/**
 * `atp sign --method M [--params JSON] [--id N] [--nonce N] [--json]`: prints the canonical param
 * string, the string to sign (API key shown only as its last 4 characters) and the signature made
 * with the configured secret, to compare with the official samples or another client.
 */

import { createRuntime } from "../../app/runtime.js";
import { loadConfig } from "../../config/load.js";
import { numberHazards } from "../../diagnostics/self-test.js";
import { isJsonObject, parseJsonBody } from "../../domain/json-text.js";
import { type Params, paramString, sign, stringToSign } from "../../exchange/cryptocom/signing.js";
import { last4, maskSecret } from "../../util/secrets.js";
import { defineCommand, type OptionValues, option } from "../define-command.js";

/** Request ids are any integer the exchange can echo back (JSON numbers JS reads exactly). */
const SAFE_INTEGERS = { min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER };

/** Params parsed as the exchange parses them: a JSON number keeps its exact text (reference §3.4 pitfall 1). */
function parseParams(text: string): Params {
  const parsed = parseJsonBody(text);
  if (!isJsonObject(parsed)) throw new Error("--params must be a JSON object");
  return parsed as Params;
}

const options = {
  method: option.string("the method, e.g. private/create-order", {
    value: "METHOD",
    required: "a method such as private/create-order",
  }),
  params: option.custom("the params, a JSON object (decimals as strings)", parseParams, {
    value: "JSON",
  }),
  // a request id may be negative (the reference's null-value vector signs id -1)
  id: option.int("the request id; may be negative", SAFE_INTEGERS, { default: 1 }),
  nonce: option.int(
    "the nonce, ms since the epoch (default: now)",
    { min: 0, max: Number.MAX_SAFE_INTEGER },
    {
      value: "MS",
    },
  ),
  json: option.flag("print the result as JSON"),
};

export const command = defineCommand({
  name: "sign",
  summary: "Show the param string, string to sign and signature for a request (key masked)",
  description:
    "Signs with the configured EXCHANGE_CUSTOM_API_KEY / EXCHANGE_CUSTOM_API_SECRET; the key is shown\nas its last 4 characters only. Compare with the official samples or another client.",
  options,
  run,
});

async function run(values: OptionValues<typeof options>): Promise<number> {
  const { method, id, json } = values;
  const params = values.params ?? {};
  const nonce = values.nonce ?? Date.now();
  // offline: signs locally with the configured key, builds no client
  const { config, errors } = createRuntime(loadConfig(), { name: "sign" }).report;
  const key = config.exchange.apiKey;
  const secret = config.exchange.apiSecret;
  if (!key || !secret) {
    const why =
      errors.length > 0 ? errors.map((e) => `${e.variable}: ${e.problem}`).join("; ") : "not configured";
    process.stderr.write(
      `atp sign: API key and secret are needed (${why}).\nSet EXCHANGE_CUSTOM_API_KEY and EXCHANGE_CUSTOM_API_SECRET.\n`,
    );
    return 2;
  }
  for (const h of numberHazards(params)) {
    process.stderr.write(
      `warning: ${h.path} is a JSON number (${h.text}); it is signed here as written, but servers sign their own rendering of it` +
        `${h.differing.length > 0 ? ` (${h.differing.join("; ")})` : ""}. Send decimals as strings.\n`,
    );
  }
  const input = { method, id, apiKey: key, params, nonce };
  const shownKey = last4(key);
  const s = stringToSign(input);
  const display = method + String(id) + shownKey + s.slice(method.length + String(id).length + key.length);
  const sig = sign(input, secret);
  const result = {
    method,
    id,
    nonce,
    api_key: shownKey,
    secret: maskSecret(secret, "secret"),
    param_string: paramString(params),
    string_to_sign: display,
    sig,
  };
  if (json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else {
    process.stdout.write(
      [
        `method:          ${method}`,
        `id:              ${id}`,
        `nonce:           ${nonce}`,
        `api_key:         ${shownKey}`,
        `secret:          ${result.secret}`,
        `param string:    ${result.param_string}`,
        `string to sign:  ${display}`,
        `sig:             ${sig}`,
        "",
      ].join("\n"),
    );
  }
  return 0;
}
