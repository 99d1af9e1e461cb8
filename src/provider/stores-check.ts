import type { DialectCapabilities } from "../dialects/dialect";
import { isUnknown } from "./unknown";

/** `stores` a non-empty set of the cloud's store ids (when known), not with `allStores`; the flags booleans. */
export function checkStores(inputs: Record<string, unknown>, known: readonly string[] | undefined, fail: (p: string, r: string) => void, capabilities?: DialectCapabilities | null): void {
  for (const key of ["allStores", "allStoresMustSucceed"]) {
    const value = inputs[key];
    if (value !== undefined && !isUnknown(value) && typeof value !== "boolean") fail(key, `${key} must be true or false (or leave it out)`);
  }
  const stores = inputs["stores"];
  if (inputs["source"] === undefined) {
    for (const key of ["stores", "allStores"]) {
      if (inputs[key] !== undefined && inputs[key] !== false) fail(key, `${key} says where the image's data is kept, and there is no source (an image without data is in no store): set source, or remove ${key}`);
    }
    return;
  }
  if (stores === undefined || isUnknown(stores)) return;
  if (!Array.isArray(stores)) return fail("stores", "stores must be a list of store ids, e.g. [\"local\", \"backup\"]");
  if (inputs["allStores"] === true) fail("stores", "stores and allStores both say where the data goes: keep one");
  if (stores.length === 0) return fail("stores", "stores is empty, and image data must be in at least one store: list one, or leave stores out for the cloud's default store");
  if (known !== undefined && known.length === 0) {
    const shown = capabilities?.explainSingleStore?.();
    return fail("stores", `this Glance has a single store${shown === undefined ? "" : ` (${shown})`}: remove stores`);
  }
  stores.forEach((store, index) => {
    if (isUnknown(store)) return;
    if (typeof store !== "string" || store === "") return fail(`stores[${index}]`, "a store id must be a non-empty string");
    if (known !== undefined && !known.includes(store)) fail(`stores[${index}]`, `store "${store}" is not one of this cloud's stores: use one of ${known.join(", ")}`);
  });
}
