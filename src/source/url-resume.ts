import type { Readable } from "node:stream";
import { describeCause } from "../errors";
import type { OpenedUrl } from "./url-source";

/** Resumes of one download at most: a link that keeps breaking is left to the upload retry. */
export const MAX_RESUMES = 5;

/**
 * The body of an opened URL, continued with a `Range` + `If-Range` request from the byte where it broke,
 * so the upload it feeds (and the digests computed in that stream) carries on instead of starting over.
 * Only where the server offers ranges and a validator and answers 206 for exactly the missing range of the
 * same version (see {@link OpenedUrl.rangeFrom}); otherwise the break is rethrown as it was and the caller's
 * restart applies: two versions are never spliced. Stops resuming when `signal` is aborted.
 */
export async function* resumingBody(opened: OpenedUrl, label: string, signal?: AbortSignal): AsyncGenerator<Uint8Array, void, undefined> {
  let stream: Readable = opened.stream;
  let offset = 0;
  let resumes = 0;
  try {
    for (;;) {
      try {
        for await (const chunk of stream as AsyncIterable<Uint8Array>) {
          offset += chunk.byteLength;
          yield chunk;
        }
        return;
      } catch (error) {
        stream.destroy();
        if (signal?.aborted === true || resumes >= MAX_RESUMES) throw error;
        const rest = await opened.rangeFrom(offset, signal).catch(() => undefined);
        if (rest === undefined) throw error;
        resumes += 1;
        console.log(`${label}: the download broke after ${offset} bytes (${describeCause(error)}); resuming from there (${resumes} of at most ${MAX_RESUMES})`);
        stream = rest;
      }
    }
  } finally {
    stream.destroy();
  }
}
