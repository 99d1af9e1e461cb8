import { HttpError, InputError, NetworkError, isHttpStatus } from "../errors";
import type { GlanceClient } from "../glance/client";
import { DEFAULT_RETRY, isRetryableFailure, retryDelay, sleep } from "../http/retry";
import type { CreateImageRequest, GlanceImage } from "../glance/types";
import { isMarkedBy } from "./create-marker";
import { CREATE_MARKER_PROPERTY } from "./glance-keys";
import { explainRefusal } from "./refusals";

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
        const refusal = explainRefusal(error, { action: "create", keys: Object.keys(request), visibility: request.visibility });
        if (refusal !== undefined) throw refusal;
      }
      if (attempt >= DEFAULT_RETRY.retries || signal.aborted || !isRetryableFailure(error, DEFAULT_RETRY)) throw error;
      // A lost connection may have lost the answer of a POST Glance carried out; a 5xx may not have.
      lostAnswer ||= error instanceof NetworkError || (error instanceof HttpError && error.status >= 500);
      await sleep(retryDelay(attempt, error, DEFAULT_RETRY), signal);
    }
  }
}

/** True when Glance's record is the one this request made: it carries the request's marker, still without data. */
function matches(image: GlanceImage, request: CreateImageRequest): boolean {
  const marker = request[CREATE_MARKER_PROPERTY];
  return typeof marker === "string" && isMarkedBy(image, marker) && image.status === "queued";
}

