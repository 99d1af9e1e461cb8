import { GlanceError, HttpError, ImageStatusError, ImportFailedError, InputError, TimeoutError, isHttpStatus, isNotFound } from "../../errors";
import { UPDATE_REPLAN } from "../../http/call-policies";
import { polling, retrying } from "../../http/retry";
import type { AllowedFormats, ImageDialect, WaitForActive } from "../dialect";
import type { ImageChange, ImageFields, ImageFilter, ImageRecord } from "../image-record";
import { VendorCalls, type VendorCallsOptions } from "./calls";
import { VENDOR_CAPABILITIES, VENDOR_CONTAINER_FORMATS, VENDOR_DISK_FORMATS } from "./capabilities";
import { createOnce } from "./create";
import { listImages } from "./list";
import { VENDOR_LABEL, stateOf, toRecord, wireFormat } from "./mapping";
import { planUpdate } from "./update";
import { DESCRIPTION_KEY, type VendorImage } from "./wire";

type CreateFields = ImageFields & { readonly diskFormat: string; readonly containerFormat: string };

/** Settings of a {@link VendorHtaiyunDialect}. */
export interface VendorDialectOptions extends VendorCallsOptions {
  /** Records per list page (`offset`, L332-336). Default 20, the documented default. */
  readonly pageSize?: number;
}

/**
 * The vendor image API of seed 004 (`/v1/openstack/image/*`, `glance:apiVersion: vendor-htaiyun`) behind
 * {@link ImageDialect}, as its document reads (the contract in `./contract`; no server was available).
 *
 * The API creates an image only together with its address (`imageAddress`, required) and chooses the id
 * (`unique`) itself. So {@link createRecord} sends nothing: it keeps the fields under the provider's id,
 * and {@link importFromUrl} (the provider's web-download path: `source.url` is the address) sends the one
 * create. From then on the provider's id stands for the API's id within this dialect (one provider call),
 * and every record carries the API's id, which the provider stores.
 */
export class VendorHtaiyunDialect implements ImageDialect {
  readonly api = "vendor-htaiyun" as const;
  readonly capabilities = VENDOR_CAPABILITIES;
  private readonly calls: VendorCalls;
  private readonly pageSize: number;
  private readonly pending = new Map<string, CreateFields>();
  private readonly aliases = new Map<string, string>();

  constructor(options: VendorDialectOptions) {
    const { pageSize, ...rest } = options;
    this.calls = new VendorCalls(rest);
    this.pageSize = pageSize ?? 20;
  }

  get endpoint(): string {
    return this.calls.endpoint;
  }

  private unique(id: string): string {
    return this.aliases.get(id) ?? id;
  }

  /**
   * Keeps the fields for {@link importFromUrl}: nothing can be created without the address (L43-47). The
   * marker has nowhere to go (no properties), and is not needed: the create is never sent twice.
   */
  async createRecord(id: string, fields: CreateFields, _marker: string, _signal: AbortSignal): Promise<ImageRecord> {
    this.pending.set(id, fields);
    return { ...toRecord({ name: fields.name ?? null, status: "QUEUED" }, id), diskFormat: fields.diskFormat, containerFormat: fields.containerFormat };
  }

  /**
   * `POST …/create` with the kept fields and `imageAddress: url` (L3-89), sent once; a create whose answer
   * was lost is recognised by listing, never sent again (see `create.ts`).
   */
  async importFromUrl(id: string, url: string, signal: AbortSignal): Promise<void> {
    const fields = this.pending.get(id);
    if (fields === undefined) throw new GlanceError(`${VENDOR_LABEL}: no create of ${id} is waiting for its address`);
    const props = fields.properties ?? {};
    const description = Object.hasOwn(props, DESCRIPTION_KEY) ? props[DESCRIPTION_KEY] : undefined;
    const unique = await createOnce(
      this.calls,
      {
        name: fields.name ?? "",
        containerFormat: wireFormat(fields.containerFormat),
        diskFormat: wireFormat(fields.diskFormat),
        imageAddress: url,
        applicationNames: [...(fields.applicationNames ?? [])],
        ...(description === undefined ? {} : { description }),
      },
      this.pageSize,
      signal,
    );
    this.pending.delete(id);
    this.aliases.set(id, unique);
  }

  async importMethods(): Promise<readonly string[]> {
    return ["web-download"];
  }

  /** `GET …/{id}/get` (L176-289). An unknown id is not found whether answered 404 or 406 (assumption notFound). */
  async get(id: string, signal?: AbortSignal): Promise<ImageRecord> {
    if (this.pending.has(id)) throw new InputError("source", `${VENDOR_LABEL} creates an image only with its address: set source.url`);
    const unique = this.unique(id);
    try {
      const result = await this.calls.call<VendorImage>("read", {}, `get image ${unique}`, unique, signal);
      return toRecord(result ?? {}, unique);
    } catch (error) {
      throw asNotFound(error);
    }
  }

  list(filter: ImageFilter, signal?: AbortSignal): AsyncIterable<ImageRecord> {
    return listImages(this.calls, filter, this.pageSize, signal);
  }

  /**
   * `POST …/{id}/update` with what changed (see `update.ts`), then a read: the update's answer carries
   * application ids, not names (L167). After a failure that may have been applied the image is read and
   * the change planned again (nothing is sent when it holds).
   */
  async update(id: string, current: ImageRecord, want: (image: ImageRecord) => ImageChange, signal?: AbortSignal): Promise<ImageRecord> {
    const unique = this.unique(id);
    let record = current;
    return retrying(
      UPDATE_REPLAN,
      async () => {
        const params = planUpdate(record, want(record));
        if (Object.keys(params).length === 0) return record;
        try {
          await this.calls.call<VendorImage>("update", params, `update image ${unique}`, unique, signal);
        } catch (error) {
          throw await this.notFoundIfGone(unique, error, signal);
        }
        return this.get(unique, signal);
      },
      { signal, what: `update of image ${unique} at ${this.endpoint}`, beforeNext: async () => void (record = await this.get(unique, signal)) },
    );
  }

  /**
   * `GET …/{id}/delete` (L454-493): a GET that deletes, sent exactly once (never repeated, never prefetched:
   * assumption deleteIsGet). A pending create has nothing to delete.
   */
  async delete(id: string, signal?: AbortSignal): Promise<void> {
    if (this.pending.delete(id)) return;
    const unique = this.unique(id);
    try {
      await this.calls.call("delete", {}, `delete image ${unique}`, unique, signal);
    } catch (error) {
      throw await this.notFoundIfGone(unique, error, signal);
    }
  }

  /** A 406 (an error "during the call") on a write is not-found only when a read says the image is gone. */
  private async notFoundIfGone(unique: string, error: unknown, signal?: AbortSignal): Promise<unknown> {
    if (isNotFound(error) || !isHttpStatus(error, 406)) return error;
    try {
      await this.get(unique, signal);
    } catch (lookup) {
      if (isNotFound(lookup)) return lookup;
    }
    return error;
  }

  async upload(): Promise<void> {
    throw new InputError("source.file", `${VENDOR_LABEL} takes no uploads: the image is referenced by its address (imageAddress): set source.url`);
  }

  /** Reads until `ACTIVED`; KILLED, DELETED, PENDING_DELETE or a word the document does not list ends the wait. */
  async waitUntilActive(id: string, options: WaitForActive): Promise<ImageRecord> {
    const unique = this.unique(id);
    const started = Date.now();
    return polling(
      async () => {
        const result = (await this.calls.call<VendorImage>("read", {}, `get image ${unique}`, unique, options.signal).catch((e: unknown) => Promise.reject(asNotFound(e)))) ?? {};
        const image = toRecord(result, unique);
        options.onPoll?.(image);
        const state = stateOf(result.status);
        if (state === "active") return image;
        const word = typeof result.status === "string" ? result.status : JSON.stringify(result.status ?? null);
        if (state === undefined) throw new ImageStatusError(unique, word, `${VENDOR_LABEL} reports a status its document does not list`);
        if (state === "killed" && options.importing === true) throw new ImportFailedError(unique, word, `${VENDOR_LABEL} killed the image`, "reading imageAddress");
        if (state === "killed" || state === "deleted" || state === "pending_delete") throw new ImageStatusError(unique, word, "it can no longer become active");
        const elapsed = Date.now() - started;
        if (elapsed >= options.timeoutMs) throw new TimeoutError(options.timeoutName, elapsed, unique, image.status, "waiting for ACTIVED");
        return undefined;
      },
      { firstMs: 250, factor: 1.5, maxMs: 3_000 },
      { signal: options.signal, untilMs: options.timeoutMs },
    );
  }

  /** The documented formats (L35, L41), lower-case as the results give them. */
  async allowedFormats(): Promise<AllowedFormats> {
    return { diskFormats: VENDOR_DISK_FORMATS, containerFormats: VENDOR_CONTAINER_FORMATS };
  }

  async close(): Promise<void> {
    await this.calls.close();
  }
}

/** An unknown id answered 406 (assumption notFound=406) as the not-found every caller tests with `isNotFound`. */
function asNotFound(error: unknown): unknown {
  if (!isHttpStatus(error, 406)) return error;
  return new HttpError({ status: 404, method: error.method, url: error.url, serverMessage: `${error.serverMessage ?? ""} (status 406, read as not found)` }, { cause: error });
}
