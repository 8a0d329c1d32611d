/** The signing proxy (original-platform.md §3.4 contract, hardened; `atp proxy` runs it). */
export { PROXY_SERVICE, type ProxyHealthReport } from "./health.js";
export { allowMethodsProblem, parseAllowMethods } from "./method-policy.js";
export {
  PASSTHROUGH,
  PROXY_ERROR_HEADER,
  PROXY_PROTOCOL_HEADER,
  type ProxyFailureCode,
  REQUEST_ID_HEADER,
} from "./replies.js";
export {
  PROXY_VERSION,
  type SigningProxy,
  type SigningProxyOptions,
  startSigningProxy,
} from "./signing-proxy.js";
export { PROXY_TOKEN_MIN_LENGTH, proxyTokenProblem } from "./token.js";
