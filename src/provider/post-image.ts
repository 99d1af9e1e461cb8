import { GlanceError, HttpError, InputError, NetworkError, isHttpStatus } from "../errors";
import type { GlanceClient } from "../glance/client";
import { DEFAULT_RETRY, isRetryableFailure, retryDelay, sleep } from "../http/retry";
import type { CreateImageRequest, GlanceImage } from "../glance/types";
import { isMarkedBy } from "./create-marker";
import { CREATE_MARKER_PROPERTY, TYPED_PROPERTIES } from "./glance-keys";

/**
 * `POST /v2/images`, made idempotent by the client-chosen id: a POST whose answer was lost is sent
 * again with the same id, and the 409 that follows means "ours, carry on" only if the record Glance
 * holds carries this create's marker (`request.pulumi_glance_create_key`). A 409 otherwise means the id is taken.
 */
export async function postImage(client: GlanceClient, request: CreateImageRequest & { id: string }, signal: AbortSignal): Promise<void> {
  let lostAnswer = false;
  for (let attempt = 0; ; attempt += 1) {
    try {
      await client.images.create(request, signal);
      return;
    } catch (error) {
      if (isHttpStatus(error, 409)) {
        if (lostAnswer && matches(await client.images.get(request.id, signal), request)) return;
        throw new InputError(
          "imageId",
          `an image with id ${request.id} already exists or existed (Glance never reuses the id of a deleted image): choose another UUID or leave imageId out`,
        );
      }
      if (error instanceof HttpError) {
        const refusal = explainRefusal(error, request);
        if (refusal !== undefined) throw refusal;
      }
      if (attempt >= DEFAULT_RETRY.retries || signal.aborted || !isRetryableFailure(error, DEFAULT_RETRY)) throw error;
      // A lost connection may have lost the answer of a POST Glance carried out; a 5xx may not have.
      lostAnswer ||= error instanceof NetworkError || (error instanceof HttpError && error.status >= 500);
      await sleep(retryDelay(attempt, error, DEFAULT_RETRY), signal);
    }
  }
}

/** Glance's attribute names as the resource's inputs name them; anything else is a custom property. */
const INPUT_OF_KEY: Readonly<Record<string, string>> = {
  name: "name",
  disk_format: "diskFormat",
  container_format: "containerFormat",
  visibility: "visibility",
  os_hidden: "hidden",
  protected: "protected",
  min_disk: "minDiskGb",
  min_ram: "minRamMb",
  tags: "tags",
  id: "imageId",
  ...Object.fromEntries(Object.entries(TYPED_PROPERTIES).map(([input, key]) => [key, input])),
};

/**
 * Glance's refusals of a create that are the inputs' fault, reworded to name the input and the fix:
 * a policy refusing the visibility (403), and values Glance's schema or limits reject (400). Others
 * (and any this does not recognise) stay HttpErrors.
 */
function explainRefusal(error: HttpError, request: CreateImageRequest): InputError | undefined {
  const said = (error.serverMessage ?? "").replace(/\s*Failed validating[\s\S]*$/, "");
  const rid = error.requestId === undefined ? "" : ` (request ${error.requestId})`;
  if (error.status === 403 && /publicize_image|communitize_image/.test(said)) {
    return new InputError(
      "visibility",
      `Glance's policy does not let this user create ${request.visibility ?? ""} images ("${said}"${rid}): use visibility "private" or "shared" (and add members), or ask a cloud admin to publish it`,
    );
  }
  if (error.status !== 400) return undefined;
  const longKey = /^Custom property should not be greater than (\d+) characters/.exec(said);
  if (longKey !== null) {
    const key = Object.keys(request).find((k) => k.length > Number(longKey[1]));
    if (key !== undefined) return new InputError(`properties["${key}"]`, `Glance refused the key: ${said}${rid}: use a key of at most ${longKey[1]} characters`);
  }
  const key = /schema\['properties'\]\['([^']+)'\]/.exec(error.serverMessage ?? "")?.[1] ?? /^'([^']+)' value out of range/.exec(said)?.[1];
  if (key === undefined) return undefined;
  return new InputError((Object.hasOwn(INPUT_OF_KEY, key) ? INPUT_OF_KEY[key] : undefined) ?? `properties["${key}"]`, `Glance refused the value: ${said}${rid}: change it to one Glance accepts`);
}

/** True when Glance's record is the one this request made: it carries the request's marker, still without data. */
function matches(image: GlanceImage, request: CreateImageRequest): boolean {
  const marker = request[CREATE_MARKER_PROPERTY];
  return typeof marker === "string" && isMarkedBy(image, marker) && image.status === "queued";
}

/** Raised by a create the user or the engine cancelled (SIGINT, SIGTERM), or that found the engine gone. */
export class CancelledError extends GlanceError {
  override name = "CancelledError";
  /** @param cause a signal name (`SIGINT`), or why the create stopped */
  constructor(cause: string) {
    super(/^SIG[A-Z]+$/.test(cause) ? `cancelled by ${cause}` : `cancelled: ${cause}`);
  }
}
