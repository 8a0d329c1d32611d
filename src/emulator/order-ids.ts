/**
 * The emulator's order ids (19 digits): the first one comes from the seed, or from `order_id_base`
 * (config.ts). No dependencies: the demo's set-up computes its base without loading the emulator.
 */

/** The first order id of seed 0; a seed adds (seed mod 1000) × 1e9 (trade ids start 500e9 above). */
const DEFAULT_ORDER_ID_BASE = 6_142_909_895_000_000_000n;

/** The first order id: `order_id_base` when set, else from the seed. */
export function orderIdBaseOf(config: { seed: number; order_id_base?: string | undefined }): bigint {
  if (config.order_id_base !== undefined) return BigInt(config.order_id_base);
  return DEFAULT_ORDER_ID_BASE + BigInt(config.seed % 1000) * 1_000_000_000n;
}

/**
 * An `order_id_base` above every id an emulator started earlier gave, whatever its seed:
 * `startedAtMs` × 1000 above the default base (two starts 1 ms apart are 1000 ids apart).
 */
export function orderIdBaseAt(startedAtMs: number): string {
  return (DEFAULT_ORDER_ID_BASE + BigInt(Math.trunc(startedAtMs)) * 1000n).toString();
}
