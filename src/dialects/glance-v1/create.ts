/**
 * `POST /v1/images` made idempotent by the client-chosen id and the create's marker, with the one retry
 * mechanism's {@link CREATE_POST} policy (as glance-v2's create): a POST whose answer was lost (a cut
 * connection, a 5xx) is sent again with the same id; the 409 that follows is this create's own record when
 * the record Glance holds carries the marker, else the id is taken.
 */
import { InputError, isHttpStatus, isNotFound } from "../../errors";
import { CREATE_POST } from "../../http/call-policies";
import { retrying } from "../../http/retry";
import type { Transport } from "../../http/transport";
import type { ImageFields, ImageRecord } from "../image-record";
import { metaHeaders } from "./headers";
import { V1_LABEL, toMeta, toRecord } from "./mapping";
import { imagesPath } from "./paths";
import { inputFault } from "./refusals";
import type { V1ImageBody } from "./wire";

/** What a create needs of the dialect besides its transport: reading one image (`HEAD`). */
export type GetImage = (id: string, signal: AbortSignal) => Promise<ImageRecord>;

export async function createV1Record(
  http: Transport,
  get: GetImage,
  id: string,
  fields: ImageFields & { readonly diskFormat: string; readonly containerFormat: string },
  marker: string,
  signal: AbortSignal,
): Promise<ImageRecord> {
  const headers = metaHeaders({ id, ...toMeta(fields) });
  const taken = await retrying(
    CREATE_POST,
    async ({ stop }) => {
      try {
        const res = await http.json<V1ImageBody>({ method: "POST", path: imagesPath(), headers, expect: [201], context: "create image", signal });
        return toRecord(res.body.image);
      } catch (error) {
        if (isHttpStatus(error, 409)) return undefined;
        const fault = inputFault(error, fields);
        if (fault !== error) throw stop(fault);
        throw error;
      }
    },
    { signal, what: `POST ${http.url(imagesPath()).toString()}` },
  );
  if (taken !== undefined) return taken;
  // 409: the id is taken, by this create's own earlier POST (its answer lost) when the record carries the marker.
  const markerKey = Object.entries(fields.properties ?? {}).find(([, value]) => value === marker)?.[0];
  let existing: ImageRecord | undefined;
  try {
    existing = await get(id, signal);
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  if (existing !== undefined && markerKey !== undefined && existing.properties[markerKey] === marker) return existing;
  const what = existing === undefined ? "a deleted image (Glance never gives an id out again)" : `image '${existing.name ?? ""}' (status ${existing.status}) that this create did not make`;
  throw new InputError("imageId", `the id ${id} is taken on ${V1_LABEL} by ${what}: set imageId to a new UUID or leave it out`);
}
