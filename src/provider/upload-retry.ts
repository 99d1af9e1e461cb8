import type { ImageDialect } from "../dialects/dialect";
import type { ImageRecord } from "../dialects/image-record";
import { DataFormatError, GlanceError, ImageSourceError, ImageStatusError, describeCause } from "../errors";
import { UPLOAD, UPLOAD_ATTEMPTS, isTransientUploadFailure } from "../http/call-policies";
import { polling, retrying } from "../http/retry";
import { redactUrl } from "../redact";
import type { SourceInputs } from "./inputs";
import { uploadSource, type DataTarget, type UploadResult } from "./upload";

/**
 * Uploads with bounded retries (the {@link UPLOAD} policy): a broken upload leaves the image `queued`,
 * so the source is opened again (a file from byte 0, a URL fetched again) and sent again; not where the
 * server kills the record instead (`capabilities.reuploadAfterBreak` false: Glance v1). Errors of the
 * source itself, and answers that another attempt cannot change (4xx), are not retried; a
 * {@link DataFormatError} (Glance 33 inspected the bytes and they are not the declared format; the
 * rejected data stays, so every later upload to that image fails) becomes an {@link ImageSourceError}
 * naming the source and saying what the data is.
 */
/** `into`: where the bytes go (a store, or the staging area for glance-direct); default: the default store. */
export async function uploadWithRetry(dialect: ImageDialect, id: string, source: SourceInputs, label: string, signal: AbortSignal, into: DataTarget = {}): Promise<UploadResult> {
  return retrying(
    UPLOAD,
    async ({ attempt, stop }) => {
      let unanswered: UploadResult | undefined;
      try {
        return await uploadSource(dialect, id, source, label, signal, (sent) => (unanswered = sent), into);
      } catch (error) {
        if (error instanceof DataFormatError) throw stop(formatMismatch(error, source));
        if (signal.aborted || !isTransientUploadFailure(error)) throw stop(error);
        // A server that kills the record of a broken upload takes no data for it again: only an upload whose
        // every byte went out (its answer lost) is worth asking about.
        const again = dialect.capabilities.reuploadAfterBreak !== false;
        if (!again && unanswered === undefined) throw stop(error);
        // A stage (glance-direct) is `uploading` while Glance reads it, with no size yet: one broken off goes
        // back to `queued` (its partial data dropped) once Glance notices; a complete one stays `uploading`
        // with its size set. (All bytes handed to the socket is no proof: a proxy may have cut them off.)
        const staged = into.stage === true;
        let image: ImageRecord;
        try {
          image = await settled(dialect, id, signal, (i) => i.status === "saving" || (staged && i.status === "uploading" && i.sizeBytes === null));
        } catch (lookup) {
          if (signal.aborted) throw stop(lookup);
          // Report the failure that matters (the upload), not the status lookup the transport already retried.
          throw stop(
            new GlanceError(
              `${label}: the upload broke (${describeCause(error)}) and Glance could not be asked about the image afterwards (${describeCause(lookup)}): check that Glance is reachable, then run pulumi up again`,
              { cause: error },
            ),
          );
        }
        // Every byte went out and only the answer was lost: Glance stored them. The caller checks what
        // Glance holds against the digests of what was sent, as after any upload.
        const stagedAll = staged && image.status === "uploading" && image.sizeBytes === unanswered?.digests.bytes;
        if ((image.status === "active" || stagedAll) && unanswered !== undefined) {
          console.log(`${label}: the answer to the upload was lost (${(error as Error).message}), but Glance holds the data; verifying it`);
          return unanswered;
        }
        if (!again || attempt + 1 >= UPLOAD_ATTEMPTS) throw stop(error);
        if (staged && image.status === "uploading" && image.sizeBytes !== null) {
          // Glance closed the stage (its size set at once, no waiting), with other data than was sent.
          const sent = unanswered === undefined ? "the data was not all sent" : `${unanswered.digests.bytes} were sent`;
          throw stop(
            new ImageStatusError(
              id,
              image.status,
              `the upload broke (${describeCause(error)}) and Glance recorded a stage of ${image.sizeBytes} bytes, ${sent}, so the stage does not hold this source's data and the image takes no other: run pulumi up again to start over with a new image`,
            ),
          );
        }
        if (image.status === "saving" || image.status === "uploading") {
          throw stop(
            new ImageStatusError(
              id,
              image.status,
              `the upload broke (${describeCause(error)}) and Glance still shows the image ${image.status} after 30 s, so it will not take data again (did glance-api restart mid-upload?): run pulumi up again to start over with a new image`,
            ),
          );
        }
        if (image.status !== "queued") throw stop(error);
        console.log(`${label}: upload attempt ${attempt + 1} failed (${(error as Error).message}); sending the data again`);
        throw error;
      }
    },
    { signal, what: `upload of image ${id}` },
  );
}

/** "the file x.img is not a qcow2: Glance inspected the data as raw (…): set diskFormat: "raw" …". */
function formatMismatch(error: DataFormatError, source: SourceInputs): ImageSourceError {
  const field = source.file === undefined ? "source.url" : "source.file";
  const where = source.file === undefined ? `the data at ${redactUrl(source.url ?? "")}` : `the file ${source.file}`;
  const known = error.declared !== undefined && error.detected !== undefined;
  const what = known ? `is not a ${error.declared ?? ""}: Glance inspected the data as ${error.detected ?? ""}` : "does not hold the declared diskFormat";
  const fix = known ? `set diskFormat: "${error.detected ?? ""}" if that is what it is, or point ${field} at a ${error.declared ?? ""} image` : "set diskFormat to the format of the data";
  return new ImageSourceError(field, `${where} ${what} (Glance refused the upload with ${error.said}): ${fix}`, { cause: error.cause });
}

/** Waits until the server has noticed the broken upload (`saving`, or a stage's `uploading`, → `queued`), at most 30 s. */
async function settled(dialect: ImageDialect, id: string, signal: AbortSignal, busy: (image: ImageRecord) => boolean): Promise<ImageRecord> {
  const started = Date.now();
  return polling(
    async () => {
      const image = await dialect.get(id, signal);
      return !busy(image) || Date.now() - started > 30_000 ? image : undefined;
    },
    { firstMs: 500, factor: 1, maxMs: 500 },
    { signal },
  );
}
