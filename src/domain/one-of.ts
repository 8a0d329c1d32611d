/**
 * Builds the type guard of an `as const` list: `oneOf(SIDES)` is true exactly for the list's members.
 * Membership is `Array.includes` on the list itself, so a name from outside (`__proto__`,
 * `constructor`, `toString`) is never a member by way of a plain object's prototype.
 */
export function oneOf<const T extends string>(list: readonly T[]): (value: unknown) => value is T {
  const members: readonly string[] = list;
  return (value: unknown): value is T => typeof value === "string" && members.includes(value);
}
