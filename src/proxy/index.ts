/** The signing proxy (original-platform.md §3.4 contract, plus GET /proxy/outbound-ip). */
export {
  PROXY_SERVICE,
  PROXY_VERSION,
  type SigningProxy,
  type SigningProxyOptions,
  startSigningProxy,
} from "./signing-proxy.js";
