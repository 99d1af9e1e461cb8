import type { Readable } from "node:stream";
import { HttpError, ImageStatusError, ImportFailedError, TimeoutError, isHttpStatus, isNotFound } from "../../errors";
import { polling } from "../../http/retry";
import { Transport, type TransportOptions } from "../../http/transport";
import type { AllowedFormats, DialectCapabilities, ImageDialect, WaitForActive } from "../dialect";
import type { ImageChange, ImageFields, ImageFilter, ImageRecord } from "../image-record";
import { PURGE_PROPS_HEADER, imageFromHeaders, metaHeaders, propertyKeyProblem, textValueProblem } from "./headers";
import { copyFrom } from "./copy-from";
import { createV1Record } from "./create";
import { listImages } from "./list";
import { V1_LABEL, V1_VISIBILITIES, toRecord } from "./mapping";
import { imagePath } from "./paths";
import { inputFault } from "./refusals";
import { applyPlan, isEmptyPlan, planUpdate } from "./update";
import type { V1ImageBody } from "./wire";

/** Settings of a {@link GlanceV1Dialect}: the endpoint plus the transport's options (as the v2 client takes them). */
export interface GlanceV1DialectOptions extends Omit<TransportOptions, "baseUrl"> {
  /** The image service endpoint, with or without a trailing `/v1`. */
  readonly endpoint: string;
  /** Images per `GET /v1/images/detail` page. Default 100. */
  readonly pageSize?: number;
}

/**
 * Names Glance v1 keeps for the image itself (`X-Image-Meta-<name>`, glance/common/utils.py
 * IMAGE_META_HEADERS): as property keys they would shadow the image's own fields wherever the image is read
 * as one flat record (v2 on the same cloud). `os_glance_*` belongs to Glance (v2 on the same database).
 */
const V1_FIELD_NAMES: ReadonlySet<string> = new Set([
  "location", "size", "is_public", "disk_format", "container_format", "name", "status", "copy_from", "uri", "checksum", "created_at",
  "updated_at", "deleted_at", "min_ram", "min_disk", "owner", "store", "id", "protected", "deleted", "virtual_size",
  "visibility", "os_hidden", "tags", "file", "schema", "self", "direct_url", "locations", "os_hash_algo", "os_hash_value", "stores",
]);

/** What Glance v1 can hold and do. */
export const V1_CAPABILITIES: DialectCapabilities = {
  label: V1_LABEL,
  tags: false,
  hidden: false,
  visibilities: V1_VISIBILITIES,
  // PUT x-glance-api-copy-from on a queued image: 200, active asynchronously (glance 15.0.2, test/v1/copy-from)
  webDownload: true,
  verifiedBy: "md5",
  // a broken upload kills the record, which then answers 409 "Cannot upload to an unqueued image" (test/v1/failures)
  reuploadAfterBreak: false,
  isReservedProperty: (key) => V1_FIELD_NAMES.has(key) || key.startsWith("os_glance_"),
  // keys travel in header names (lower-cased, '-' becomes '_'), values and names in header values
  propertyProblem: (key, value) => propertyKeyProblem(key) ?? textValueProblem(value),
  nameProblem: (name) => textValueProblem(name),
};

/** Strips a trailing `/v1`, `/v1.0`, `/v1.1`, `/v1/` from a catalog endpoint: paths carry their own version. */
function normalizeV1Endpoint(endpoint: string): string {
  return endpoint.replace(/\/+$/, "").replace(/\/v1(\.\d+)?$/, "");
}

/** The Glance v1 dialect for `options` (the registry's factory for `apiVersion: v1`). */
export function createGlanceV1Dialect(options: GlanceV1DialectOptions): GlanceV1Dialect {
  return new GlanceV1Dialect(options);
}

/**
 * The legacy Glance v1 image API (metadata in `X-Image-Meta-*` headers) behind {@link ImageDialect}.
 * Measured against a real glance 15.0.2 (`GLANCE_FLAVOR=v1`): `DELETE` answers 200, paging is
 * `limit` + `marker`, a metadata `PUT` replaces the property set unless told not to (see `update.ts`).
 */
export class GlanceV1Dialect implements ImageDialect {
  readonly api = "v1" as const;
  readonly capabilities = V1_CAPABILITIES;
  private readonly http: Transport;
  private readonly pageSize: number;

  constructor(options: GlanceV1DialectOptions) {
    const { endpoint, pageSize, ...rest } = options;
    this.http = new Transport({ ...rest, baseUrl: normalizeV1Endpoint(endpoint) });
    this.pageSize = pageSize ?? 100;
  }

  get endpoint(): string {
    return this.http.baseUrl.toString().replace(/\/$/, "");
  }

  /**
   * `POST /v1/images` with `X-Image-Meta-Id` and the metadata, no data: a queued record. Sent again after a
   * lost answer or a 5xx (`create.ts`); a 409 means the id is taken: by this create's own earlier attempt
   * when the record carries `marker`, else an `InputError`.
   */
  async createRecord(id: string, fields: ImageFields & { readonly diskFormat: string; readonly containerFormat: string }, marker: string, signal: AbortSignal): Promise<ImageRecord> {
    return createV1Record(this.http, (image, s) => this.get(image, s), id, fields, marker, signal);
  }

  /**
   * A `PUT` to a deleted image is a 403 in v1 (a 404 in v2): when `error` is that 403 and the image is
   * deleted, the not-found error of {@link get} instead, so that `isNotFound` holds as with v2.
   */
  private async notFoundIfDeleted(id: string, error: unknown, signal?: AbortSignal): Promise<unknown> {
    if (!isHttpStatus(error, 403)) return error;
    try {
      await this.get(id, signal);
    } catch (notFound) {
      if (isNotFound(notFound)) return notFound;
    }
    return error;
  }

  /** `HEAD /v1/images/{id}`. A deleted image (an admin's `HEAD` still describes it) is not found, as in v2. */
  async get(id: string, signal?: AbortSignal): Promise<ImageRecord> {
    const path = imagePath(id);
    const res = await this.http.empty({ method: "HEAD", path, expect: [200], context: `get image ${id}`, ...(signal === undefined ? {} : { signal }) });
    const image = toRecord(imageFromHeaders(res.headers));
    if (image.status === "deleted") {
      const serverMessage = `${V1_LABEL} describes image ${id} as deleted`;
      throw new HttpError({ status: 404, method: "HEAD", url: this.http.url(path).toString(), serverMessage }, { context: `get image ${id}` });
    }
    return image;
  }

  list(filter: ImageFilter, signal?: AbortSignal): AsyncIterable<ImageRecord> {
    return listImages(this.http, filter, this.pageSize, signal);
  }

  /** See `update.ts`: one merging `PUT`, then a purging one only when a property must go. */
  async update(id: string, current: ImageRecord, want: (image: ImageRecord) => ImageChange, signal?: AbortSignal): Promise<ImageRecord> {
    const change = want(current);
    const plan = planUpdate(current, change);
    if (isEmptyPlan(plan)) return current;
    const put = async (headers: Record<string, string>, purge: boolean) => {
      try {
        const res = await this.http.json<V1ImageBody>({
          method: "PUT",
          path: imagePath(id),
          headers: { ...headers, [PURGE_PROPS_HEADER]: purge ? "true" : "false" },
          expect: [200],
          context: `update image ${id}`,
          ...(signal === undefined ? {} : { signal }),
        });
        return res.body.image;
      } catch (error) {
        throw inputFault(await this.notFoundIfDeleted(id, error, signal), change);
      }
    };
    return toRecord(await applyPlan(put, plan));
  }

  /** `DELETE /v1/images/{id}`: 200 (the seed says 204; both are taken). A protected image is a 403. */
  async delete(id: string, signal?: AbortSignal): Promise<void> {
    await this.http.empty({ method: "DELETE", path: imagePath(id), expect: [200, 204], context: `delete image ${id}`, ...(signal === undefined ? {} : { signal }) });
  }

  /**
   * `PUT /v1/images/{id}` with the data (streamed, `application/octet-stream`, `X-Image-Meta-Size` when
   * known) on the queued record. Properties are not purged by a data upload. Glance verifies the size
   * itself and kills the image on a mismatch: that answer becomes an {@link ImageStatusError} (`killed`).
   */
  async upload(id: string, data: Readable | AsyncIterable<Uint8Array>, options: { readonly size?: number; readonly signal: AbortSignal }): Promise<void> {
    try {
      await this.http.empty({
        method: "PUT",
        path: imagePath(id),
        body: data,
        contentType: "application/octet-stream",
        headers: { [PURGE_PROPS_HEADER]: "false", ...(options.size === undefined ? {} : metaHeaders({ size: options.size })) },
        expect: [200],
        context: `upload image ${id}`,
        transfer: true,
        signal: options.signal,
      });
    } catch (error) {
      if (!isHttpStatus(error, 400)) throw await this.notFoundIfDeleted(id, error, options.signal);
      const status = await this.get(id, options.signal).then((image) => image.status, () => undefined);
      if (status !== "killed") throw error;
      throw new ImageStatusError(id, "killed", `${V1_LABEL} refused the data and killed the image (${error.serverMessage ?? "no message"})`);
    }
  }

  /**
   * `PUT /v1/images/{id}` with `X-Glance-Api-Copy-From: url` on the queued record: Glance fetches the data
   * itself. Never repeated blindly (a second one starts a second fetch, or is a 400): see `copy-from.ts`.
   */
  async importFromUrl(id: string, url: string, signal: AbortSignal): Promise<void> {
    await copyFrom(this.http, id, url, signal);
  }

  /** v1 has no import methods (copy-from is not one: see `capabilities.webDownload`). */
  async importMethods(): Promise<readonly string[]> {
    return [];
  }

  /** Polls `HEAD` until `active` (the one polling loop, `http/retry.ts`); `killed`, `deleted` or `pending_delete` ends the wait at once. */
  async waitUntilActive(id: string, options: WaitForActive): Promise<ImageRecord> {
    const started = Date.now();
    return polling(
      async () => {
        const image = await this.get(id, options.signal);
        options.onPoll?.(image);
        if (image.status === "active") return image;
        if (image.status === "killed" && options.importing === true) {
          throw new ImportFailedError(id, image.status, `${V1_LABEL} killed the image while copying its data from the URL (glance-api's log has the cause)`, "copy-from");
        }
        if (["killed", "deleted", "pending_delete"].includes(image.status)) throw new ImageStatusError(id, image.status, "it can no longer become active");
        const elapsed = Date.now() - started;
        if (elapsed >= options.timeoutMs) throw new TimeoutError(options.timeoutName, elapsed, id, image.status, "waiting for active");
        return undefined;
      },
      { firstMs: 250, factor: 1.5, maxMs: 3_000 },
      { signal: options.signal, untilMs: options.timeoutMs },
    );
  }

  /** v1 publishes no schema: the formats a deployment allows are not known (any is sent; Glance refuses others with a 400). */
  async allowedFormats(): Promise<AllowedFormats> {
    return { diskFormats: undefined, containerFormats: undefined };
  }

  async close(): Promise<void> {
    await this.http.close();
  }
}
