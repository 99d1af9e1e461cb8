/**
 * Glance v1's copy-from: `PUT /v1/images/{id}` with `X-Glance-Api-Copy-From: url` on the queued record,
 * after which Glance fetches the data itself, asynchronously. Measured on glance 15.0.2 (test/v1/lost-answers):
 * the PUT answers 200 while the record is still `queued` (the fetch starts a moment later); a second
 * copy-from then starts a SECOND fetch of the URL, and once the record is `saving` or `active` a second one
 * is a 400 ("Attempted to update Location field for an image not in queued status"). So the transport never
 * repeats it: after a failure that may have been applied (a lost connection, a 5xx), the record is read
 * again and the PUT sent again only if it did not take effect (still `queued`, `updated_at` unchanged).
 */
import { CHECKED_RESEND } from "../../http/call-policies";
import { retrying } from "../../http/retry";
import type { Transport } from "../../http/transport";
import { COPY_FROM_HEADER, PURGE_PROPS_HEADER, imageFromHeaders } from "./headers";
import { imagePath } from "./paths";
import type { V1Image } from "./wire";

/** The record as v1 writes it: `updated_at` with its microseconds (the neutral record keeps whole seconds). */
async function head(http: Transport, id: string, signal: AbortSignal): Promise<V1Image> {
  const res = await http.empty({ method: "HEAD", path: imagePath(id), expect: [200], context: `get image ${id}`, signal });
  return imageFromHeaders(res.headers);
}

/** True when a copy-from PUT took effect on the record that was `before`: the record changed or left `queued`. */
function tookEffect(before: V1Image, now: V1Image): boolean {
  return now.status !== "queued" || now.updated_at !== before.updated_at || now.size !== before.size;
}

export async function copyFrom(http: Transport, id: string, url: string, signal: AbortSignal): Promise<void> {
  const before = await head(http, id, signal);
  let uncertain = false;
  await retrying(
    CHECKED_RESEND,
    async () => {
      if (uncertain && tookEffect(before, await head(http, id, signal))) return;
      try {
        await http.empty({
          method: "PUT",
          path: imagePath(id),
          headers: { [PURGE_PROPS_HEADER]: "false", [COPY_FROM_HEADER]: url },
          expect: [200],
          context: `copy image ${id} from its URL`,
          signal,
          idempotent: false,
        });
      } catch (error) {
        uncertain = true;
        throw error;
      }
    },
    { signal, what: `PUT ${http.url(imagePath(id)).toString()} (copy-from)` },
  );
}
