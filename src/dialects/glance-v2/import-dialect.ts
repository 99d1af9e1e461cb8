import type { ImportsApi } from "./imports";

/** The stores an import writes to (none listed: the default store), as the dialect takes them. */
export type ImportStores = { readonly stores: readonly string[]; readonly allMustSucceed: boolean } | undefined;

/** The image another region's Glance holds, for glance-download. */
export interface RemoteImage {
  readonly imageId: string;
  readonly region: string;
  readonly serviceInterface?: string | undefined;
}

/** `stores` / `all_stores_must_succeed` of an import request, when stores are listed. */
function where(stores: ImportStores): { stores?: string[]; all_stores_must_succeed?: boolean } {
  return stores === undefined || stores.stores.length === 0 ? {} : { stores: [...stores.stores], all_stores_must_succeed: stores.allMustSucceed };
}

/** `POST /import` with `web-download`: Glance fetches `url` itself. */
export async function startWebDownload(api: ImportsApi, id: string, url: string, signal: AbortSignal, stores: ImportStores): Promise<void> {
  await api.start(id, { method: { name: "web-download", uri: url }, ...where(stores) }, signal);
}

/** `POST /import` with `glance-download`: Glance reads the other region's endpoint from the token's catalog and copies the image. */
export async function startGlanceDownload(api: ImportsApi, id: string, remote: RemoteImage, signal: AbortSignal, stores: ImportStores): Promise<void> {
  const method = {
    name: "glance-download" as const,
    glance_image_id: remote.imageId,
    glance_region: remote.region,
    ...(remote.serviceInterface === undefined ? {} : { glance_service_interface: remote.serviceInterface }),
  };
  await api.start(id, { method, ...where(stores) }, signal);
}

/** `POST /import` with `glance-direct`: Glance moves the staged data into the stores. */
export async function startGlanceDirect(api: ImportsApi, id: string, signal: AbortSignal, stores: ImportStores): Promise<void> {
  await api.start(id, { method: { name: "glance-direct" }, ...where(stores) }, signal);
}
