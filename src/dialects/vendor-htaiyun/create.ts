import { GlanceError, HttpError, NetworkError, TimeoutError, describeCause } from "../../errors";
import type { ImageRecord } from "../image-record";
import type { VendorCalls } from "./calls";
import { listImages } from "./list";
import { VENDOR_LABEL, idOf } from "./mapping";
import { DESCRIPTION_KEY, type VendorImage } from "./wire";

/** The inputs of one create (L14-65), as sent. */
export interface CreateParams {
  readonly name: string;
  readonly containerFormat: string;
  readonly diskFormat: string;
  readonly imageAddress: string;
  readonly applicationNames: readonly string[];
  readonly description?: string;
}

/**
 * `POST …/create` (L3-89), sent exactly once: the API takes no client id and no idempotency key
 * (assumption createRepeat), so a create is never repeated. A create whose answer was lost (the connection
 * broke, a timeout, a 5xx) may have been carried out; it is recognised by listing: the images named alike
 * before the create are noted (`GET …/list?keywords=name`, L314-318), and after a lost answer the one new
 * image with this name, formats, application names and description is this create's. None: the create
 * was not carried out (the original error, saying so). Several, or a list that fails: an error naming what
 * to check and how to clean up. Returns the API's id (`unique`).
 */
export async function createOnce(calls: VendorCalls, params: CreateParams, pageSize: number, signal: AbortSignal): Promise<string> {
  const before = new Set((await namesakes(calls, params.name, pageSize, signal)).map((image) => image.id));
  const sentAt = new Date().toISOString();
  let result: VendorImage | undefined;
  try {
    result = await calls.call<VendorImage>("create", { ...params }, `create image "${params.name}"`, undefined, signal);
  } catch (error) {
    if (!mayHaveHappened(error)) throw error;
    return recover(calls, params, pageSize, before, sentAt, error);
  }
  const unique = result === undefined ? undefined : idOf(result);
  if (unique !== undefined) return unique;
  throw new GlanceError(
    `${VENDOR_LABEL} answered the create of "${params.name}" without an image id (unique): the image may exist. ${cleanup(params.name, sentAt)}`,
  );
}

/** A failure after which the create may have been carried out: nothing says the server refused it. */
function mayHaveHappened(error: unknown): boolean {
  return error instanceof NetworkError || error instanceof TimeoutError || (error instanceof HttpError && error.status >= 500);
}

async function namesakes(calls: VendorCalls, name: string, pageSize: number, signal?: AbortSignal): Promise<ImageRecord[]> {
  const found: ImageRecord[] = [];
  for await (const image of listImages(calls, { name }, pageSize, signal)) found.push(image);
  return found;
}

async function recover(calls: VendorCalls, params: CreateParams, pageSize: number, before: ReadonlySet<string>, sentAt: string, lost: unknown): Promise<string> {
  const what = `the answer to the create of "${params.name}" was lost (${describeCause(lost)})`;
  let after: ImageRecord[];
  try {
    // not the create's signal: it may be what ended the create; the list is a safe GET
    after = await namesakes(calls, params.name, pageSize, AbortSignal.timeout(60_000));
  } catch (error) {
    throw new GlanceError(`${what}, and the images could not be listed to find out whether it was carried out (${describeCause(error)}). ${cleanup(params.name, sentAt)}`, { cause: lost });
  }
  const fresh = after.filter((image) => !before.has(image.id));
  const mine = fresh.filter((image) => isThisCreate(image, params));
  if (mine.length === 1 && fresh.length === 1) return mine[0]?.id ?? "";
  if (fresh.length === 0) {
    throw new GlanceError(`${what}; no new image named "${params.name}" appears in the list, so it was not carried out and nothing is left behind: run "pulumi up" again`, { cause: lost });
  }
  throw new GlanceError(
    `${what}; ${fresh.length} new image(s) named "${params.name}" appeared meanwhile (${fresh.map((i) => i.id).join(", ")}), ${mine.length} of them as this create asked, so which one is this create's cannot be told (another client may create images of this name). ${cleanup(params.name, sentAt)}`,
    { cause: lost },
  );
}

/** The image holds what the create sent (formats may read back as null: formatOutput=null-on-read). */
function isThisCreate(image: ImageRecord, params: CreateParams): boolean {
  const format = (held: string | null, sent: string): boolean => held === null || held.toLowerCase() === sent.toLowerCase();
  const names = (list: readonly string[]): string => JSON.stringify([...new Set(list)].sort());
  return (
    image.name === params.name &&
    format(image.diskFormat, params.diskFormat) &&
    format(image.containerFormat, params.containerFormat) &&
    (image.applicationNames === undefined || names(image.applicationNames) === names(params.applicationNames)) &&
    (Object.hasOwn(image.properties, DESCRIPTION_KEY) ? image.properties[DESCRIPTION_KEY] : "") === (params.description ?? "")
  );
}

function cleanup(name: string, sentAt: string): string {
  return `Check on the platform (GET /v1/openstack/image/list with keywords "${name}") for images named "${name}" created at or after ${sentAt}; delete the ones nobody uses (GET /v1/openstack/image/{id}/delete), then run "pulumi up" again: the provider never repeats a create by itself`;
}
