/** Shared helpers for CLI argument handling (every command uses node:util parseArgs). */

/** Prints a usage error naming the problem and the expected form; returns exit code 2. */
export function usageError(command: string, err: unknown, usage: string): number {
  const msg = err instanceof Error ? err.message : String(err);
  process.stderr.write(`atp ${command}: ${msg}\nusage: ${usage}\n`);
  return 2;
}

/** Parses an integer flag, or throws an Error naming the flag. */
export function intFlag(
  name: string,
  value: string | undefined,
  min = Number.MIN_SAFE_INTEGER,
): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(Number(value)) || Number(value) < min) {
    throw new Error(
      `--${name} must be an integer${min > Number.MIN_SAFE_INTEGER ? ` >= ${min}` : ""}, got "${value}"`,
    );
  }
  return Number(value);
}
