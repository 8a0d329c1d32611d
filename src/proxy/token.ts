/**
 * The proxy token's minimum: `atp proxy` refuses a CRYPTO_PROXY_TOKEN shorter than 32 characters
 * (the original proxy shipped a default token) and says how to generate one.
 */
export const PROXY_TOKEN_MIN_LENGTH = 32;

export const TOKEN_HOWTO = [
  "Generate one with:  openssl rand -hex 32",
  "               or:  node -e \"console.log(require('node:crypto').randomBytes(32).toString('hex'))\"",
  "and set the same CRYPTO_PROXY_TOKEN on the proxy host and in atp's environment.",
].join("\n");

/** Why `token` cannot be the proxy's token (with how to make one), or undefined. */
export function proxyTokenProblem(token: string | undefined): string | undefined {
  if (!token) return `CRYPTO_PROXY_TOKEN is not set.\n${TOKEN_HOWTO}`;
  if (token.length < PROXY_TOKEN_MIN_LENGTH) {
    return `CRYPTO_PROXY_TOKEN has ${token.length} characters; at least ${PROXY_TOKEN_MIN_LENGTH} are required.\n${TOKEN_HOWTO}`;
  }
  return undefined;
}
