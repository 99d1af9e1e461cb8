import type { ImageDialect } from "../dialects/dialect";
import type { ImageRecord } from "../dialects/image-record";
import { InputError } from "../errors";
import type { ImageInputs } from "./inputs";

/** Whether the inputs manage where the data is stored (`stores` or `allStores`). */
export function managesStores(inputs: Pick<ImageInputs, "stores" | "allStores">): boolean {
  return inputs.stores !== undefined || inputs.allStores === true;
}

/** The stores the image's data should be in: every store the cloud has (`allStores`), else `stores`. */
export async function storeTargets(dialect: ImageDialect, inputs: ImageInputs, signal?: AbortSignal): Promise<string[]> {
  if (!managesStores(inputs)) return [];
  if (dialect.storeIds === undefined) throw new InputError(inputs.allStores === true ? "allStores" : "stores", `${dialect.capabilities.label} has no stores: remove it`);
  return inputs.allStores === true ? [...(await dialect.storeIds(signal))] : [...new Set(inputs.stores ?? [])];
}

/**
 * Brings an active image's stores to `targets`, in place: the copy-image import onto the stores it lacks
 * (waited for; a failed store is an `ImportFailedError` naming it), then removal from the stores it holds
 * and `stores` does not list (never with `allStores`, which only adds). Added first, so the data is never
 * in fewer places than both lists share. Returns the image as it is after.
 */
export async function syncStores(
  dialect: ImageDialect,
  id: string,
  image: ImageRecord,
  inputs: ImageInputs,
  targets: readonly string[],
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<ImageRecord> {
  if (!managesStores(inputs) || targets.length === 0) return image;
  const add = targets.filter((s) => !image.stores.includes(s));
  const remove = inputs.allStores === true ? [] : image.stores.filter((s) => !targets.includes(s));
  if (add.length === 0 && remove.length === 0) return image;
  if (dialect.copyToStores === undefined || dialect.removeFromStore === undefined) throw new InputError("stores", `${dialect.capabilities.label} has no stores: remove stores`);
  await dialect.copyToStores(id, add, {
    allMustSucceed: inputs.allStoresMustSucceed ?? true,
    timeoutMs,
    timeoutName: "createTimeoutSeconds",
    ...(signal === undefined ? {} : { signal }),
  });
  for (const store of remove) await dialect.removeFromStore(id, store, signal);
  return dialect.get(id, signal);
}
