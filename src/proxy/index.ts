/** The signing proxy (original-platform.md §3.4 contract, hardened; `atp proxy` runs it). */

export {
  PASSTHROUGH,
  PROXY_ERROR_HEADER,
  PROXY_FAILURES,
  PROXY_PROTOCOL_HEADER,
  type ProxyFailureCode,
  REQUEST_ID_HEADER,
} from "../exchange/cryptocom/proxy-protocol.js";
export { PROXY_SERVICE, type ProxyHealthReport } from "./health.js";
export { allowMethodsProblem } from "./method-policy.js";
export {
  PROXY_VERSION,
  type SigningProxy,
  type SigningProxyOptions,
  startSigningProxy,
} from "./signing-proxy.js";
export { PROXY_TOKEN_MIN_LENGTH, proxyTokenProblem } from "./token.js";
