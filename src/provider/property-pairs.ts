/**
 * How `properties` travels from the program to the provider. Pulumi's JavaScript SDK turns each
 * top-level input into a string for its debug labels (`${value}`), which throws for a map holding a
 * key named `toString` ("Cannot convert object to primitive value"), so the resource hands Pulumi the
 * map as a list of `[key, value]` pairs, where a user key is never an object key, and `check` turns the
 * list back into the map that state, diffs and outputs hold.
 */

/** One property as the resource sends it. */
export type PropertyPair = readonly [key: string, value: unknown];

/** The map for a list of pairs; anything else (a map from older state or `ignoreChanges`, an unknown) is returned as is. */
export function fromPropertyPairs(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  const pairs = value as unknown[];
  if (!pairs.every((pair) => Array.isArray(pair) && pair.length === 2 && typeof pair[0] === "string")) return value;
  return Object.fromEntries(pairs as PropertyPair[]);
}
