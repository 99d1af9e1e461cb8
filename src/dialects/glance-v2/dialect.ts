import type { Readable } from "node:stream";
import { DataFormatError, HttpError, InputError, NetworkError, isHttpStatus } from "../../errors";
import { CREATE_POST, UPDATE_REPLAN } from "../../http/call-policies";
import { retrying } from "../../http/retry";
import type { AllowedFormats, DialectCapabilities, ImageDialect, WaitForActive } from "../dialect";
import type { ImageChange, ImageFields, ImageFilter, ImageRecord } from "../image-record";
import { matchesFilter } from "../filter-match";
import { GlanceClient, type GlanceClientOptions } from "./client";
import { startGlanceDirect, startGlanceDownload, startWebDownload, type ImportStores, type RemoteImage } from "./import-dialect";
import { GlanceV2Members } from "./member-dialect";
import { toCreateBody, toDesired, toListQuery, toRecord, toWireView } from "./mapping";
import { planImagePatch, unescapeSegment, type PatchOperation } from "./patch";
import { explainRefusal } from "./refusals";
import { BASE_ATTRIBUTES, isReadOnlyKey, isReservedKey } from "./reserved-keys";
import { VISIBILITIES, type GlanceImage } from "./types";
import { copyToStores, type CopyToStores } from "./store-copy";
import { waitForImage } from "./wait";

/** Why Glance v2 will not take `key` as a custom property, or `undefined` when it will. */
function propertyRefusal(key: string): string | undefined {
  if (isReservedKey(key)) return `"${key}" is reserved by Glance (os_glance_* keys and location/deleted are set by Glance itself): remove it`;
  if (isReadOnlyKey(key)) return `"${key}" is read-only, computed by Glance: remove it (it is an output of the resource)`;
  if (BASE_ATTRIBUTES.has(key)) return `"${key}" is an image attribute, not a property: use the resource's own input for it`;
  return undefined;
}

/** What Glance v2 holds and does. */
export const GLANCE_V2_CAPABILITIES: DialectCapabilities = {
  label: "Glance v2",
  tags: true,
  hidden: true,
  visibilities: VISIBILITIES,
  webDownload: true,
  verifiedBy: "multihash",
  members: true,
  deactivate: true,
  stores: true,
  glanceDirect: true,
  glanceDownload: true,
  isReservedProperty: (key) => propertyRefusal(key) !== undefined,
  explainReservedProperty: propertyRefusal,
  explainImportMethodMissing: (method, offered) =>
    `its /v2/info/import lists ${offered.length === 0 ? "no import methods" : offered.join(", ")}; the operator enables ${method} in glance-api.conf (enabled_import_methods${method === "glance-download" ? ", Glance 25/Zed or later, with Keystone" : ""})`,
  explainSingleStore: () => "/v2/info/stores answers 404, its images list no stores",
};

/**
 * The Glance v2 image API as an {@link ImageDialect}: records through {@link GlanceClient}, mapped in
 * `mapping.ts`. Creates are idempotent by their client-chosen id and marker; updates are JSON-Patches
 * planned from a fresh read and re-planned after a failure that may have been applied.
 */
export class GlanceV2Dialect implements ImageDialect {
  readonly api = "v2" as const;
  readonly capabilities = GLANCE_V2_CAPABILITIES;
  /** The v2 client underneath (for tests and tools that need the whole API). */
  readonly client: GlanceClient;
  readonly members: GlanceV2Members;

  constructor(options: GlanceClientOptions | GlanceClient) {
    this.client = options instanceof GlanceClient ? options : new GlanceClient(options);
    this.members = new GlanceV2Members(this.client.members);
  }

  get endpoint(): string {
    return this.client.endpoint;
  }

  /**
   * `POST /v2/images`, made idempotent by the client-chosen id: a POST whose answer was lost is sent
   * again with the same id, and the 409 that follows means "ours, carry on" only if the record Glance
   * holds carries this create's `marker` and no data yet. A 409 otherwise means the id is taken.
   */
  async createRecord(id: string, fields: ImageFields & { readonly diskFormat: string; readonly containerFormat: string }, marker: string, signal: AbortSignal): Promise<ImageRecord> {
    const body = toCreateBody(id, fields);
    const markerKeys = Object.entries(fields.properties ?? {}).flatMap(([key, value]) => (value === marker ? [key] : []));
    const ours = (image: ImageRecord): boolean => image.status === "queued" && markerKeys.some((key) => Object.hasOwn(image.properties, key) && image.properties[key] === marker);
    let lostAnswer = false;
    const created = await retrying(
      CREATE_POST,
      async ({ stop }) => {
        try {
          return toRecord(await this.client.images.create(body, signal));
        } catch (error) {
          if (isHttpStatus(error, 409)) {
            if (lostAnswer) {
              const there = toRecord(await this.client.images.get(id, signal));
              if (ours(there)) return there;
            }
            throw stop(
              new InputError("imageId", `an image with id ${id} already exists or existed (Glance never reuses the id of a deleted image): choose another UUID or leave imageId out`),
            );
          }
          if (error instanceof HttpError) {
            const refusal = explainRefusal(error, { action: "create", keys: Object.keys(body), visibility: fields.visibility });
            if (refusal !== undefined) throw stop(refusal);
          }
          // A lost connection may have lost the answer of a POST Glance carried out; a 5xx may not have.
          lostAnswer ||= error instanceof NetworkError || (error instanceof HttpError && error.status >= 500);
          throw error;
        }
      },
      { signal, what: `POST ${this.endpoint}/v2/images` },
    );
    return created;
  }

  async get(id: string, signal?: AbortSignal): Promise<ImageRecord> {
    return toRecord(await this.client.images.get(id, signal));
  }

  async *list(filter: ImageFilter, signal?: AbortSignal): AsyncIterable<ImageRecord> {
    for await (const image of this.client.images.list(toListQuery(filter), signal)) {
      const record = toRecord(image);
      if (matchesFilter(record, filter)) yield record;
    }
  }

  /**
   * PATCHes only what `want` changes, and rides out transient failures without ever repeating a PATCH
   * blindly: after a 5xx or a lost connection (clouds answer 500 for a database deadlock, Glance 33 on
   * sqlite for "database is locked") the image is read again and `want` planned again: nothing is sent
   * when the first PATCH was applied after all. Refusals that are an input's fault name the input.
   */
  async update(id: string, current: ImageRecord, want: (image: ImageRecord) => ImageChange, signal?: AbortSignal): Promise<ImageRecord> {
    let record = current;
    let sent: PatchOperation[] = [];
    try {
      return await retrying(
        UPDATE_REPLAN,
        async () => {
          sent = planImagePatch(toWireView(record), toDesired(want(record)));
          if (sent.length === 0) return record;
          return toRecord(await this.client.images.patch(id, sent, signal));
        },
        {
          signal,
          what: `PATCH ${this.endpoint}/v2/images/${id}`,
          beforeNext: async () => {
            record = toRecord(await this.client.images.get(id, signal));
          },
        },
      );
    } catch (error) {
      throw explained(error, sent);
    }
  }

  async delete(id: string, signal?: AbortSignal): Promise<void> {
    await this.client.images.delete(id, signal);
  }

  /** Streams the data; Glance 33's 415 (it inspected the bytes: not `disk_format`) is a {@link DataFormatError}. */
  async upload(id: string, data: Readable | AsyncIterable<Uint8Array>, options: { readonly size?: number; readonly store?: string; readonly signal: AbortSignal }): Promise<void> {
    try {
      await this.client.data.upload(id, data, options);
    } catch (error) {
      if (!isHttpStatus(error, 415)) throw error;
      // "Image disk_format qcow2 does not match stream data raw"
      const said = error.serverMessage ?? "";
      const formats = /disk_format (\S+) does not match stream data (\S+)/.exec(said);
      throw new DataFormatError(formats?.[1], formats?.[2], `415: ${said}`, { cause: error });
    }
  }

  /**
   * `POST /v2/images/{id}/actions/deactivate|reactivate` (idempotent: Glance answers 204 when the image is
   * already so). A 403 is the cloud's policy or ownership refusing this caller: an InputError on `deactivated`.
   */
  async setDeactivated(id: string, deactivated: boolean, signal?: AbortSignal): Promise<void> {
    const action = deactivated ? "deactivate" : "reactivate";
    try {
      await (deactivated ? this.client.images.deactivate(id, signal) : this.client.images.reactivate(id, signal));
    } catch (error) {
      if (!isHttpStatus(error, 403)) throw error;
      const rid = error.requestId === undefined ? "" : ` (request ${error.requestId})`;
      throw new InputError(
        "deactivated",
        `Glance refused to ${action} image ${id} ("${error.serverMessage ?? ""}"${rid}): the cloud's policy decides who may (Glance's default: admins and, on recent releases, members of the owning project; many clouds allow admins only); use such credentials, or remove deactivated`,
      );
    }
  }

  async importFromUrl(id: string, url: string, signal: AbortSignal, stores?: ImportStores): Promise<void> {
    await startWebDownload(this.client.imports, id, url, signal, stores);
  }

  async importFromRegion(id: string, remote: RemoteImage, signal: AbortSignal, stores?: ImportStores): Promise<void> {
    await startGlanceDownload(this.client.imports, id, remote, signal, stores);
  }

  /** `PUT /v2/images/{id}/stage`: the image goes `uploading`, its data waits in the staging store. */
  async stage(id: string, data: Readable | AsyncIterable<Uint8Array>, options: { readonly size?: number; readonly signal: AbortSignal }): Promise<void> {
    await this.client.data.stage(id, data, options);
  }

  async importStaged(id: string, signal: AbortSignal, stores?: ImportStores): Promise<void> {
    await startGlanceDirect(this.client.imports, id, signal, stores);
  }

  /** `GET /v2/info/stores` (a single-store Glance: `[]`). */
  async storeIds(): Promise<readonly string[]> {
    return (await this.client.discovery.stores()).map((store) => store.id);
  }

  async copyToStores(id: string, stores: readonly string[], options: CopyToStores): Promise<void> {
    await copyToStores(this.client, id, stores, options);
  }

  /** `DELETE /v2/stores/{store}/{id}`; a store that no longer holds the image is already done. */
  async removeFromStore(id: string, store: string): Promise<void> {
    try {
      await this.client.data.deleteFromStore(store, id);
    } catch (error) {
      if (!isHttpStatus(error, 404)) throw error;
      if ((await this.get(id)).stores.includes(store)) throw error;
    }
  }

  async importMethods(signal?: AbortSignal): Promise<readonly string[]> {
    return this.client.imports.methods(signal);
  }

  async waitUntilActive(id: string, options: WaitForActive): Promise<ImageRecord> {
    const { onPoll, ...rest } = options;
    return toRecord(await waitForImage(this.client, id, { ...rest, ...(onPoll === undefined ? {} : { onPoll: (image: GlanceImage) => onPoll(toRecord(image)) }) }));
  }

  /** The formats `/v2/schemas/image` allows. */
  async allowedFormats(): Promise<AllowedFormats> {
    const schema = await this.client.discovery.imageSchema();
    return { diskFormats: enumOf(schema.properties["disk_format"]?.enum), containerFormats: enumOf(schema.properties["container_format"]?.enum) };
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

function enumOf(values: readonly (string | null)[] | undefined): string[] {
  return (values ?? []).filter((v): v is string => typeof v === "string");
}

/** A refusal of a PATCH reworded to name the input, when it is the input's fault. */
function explained(error: unknown, ops: readonly PatchOperation[]): unknown {
  if (!(error instanceof HttpError)) return error;
  const visibility = ops.find((op) => op.path === "/visibility" && op.op !== "remove");
  const keys = ops.map((op) => unescapeSegment(op.path.slice(1)));
  return explainRefusal(error, { action: "update", keys, visibility: visibility !== undefined && "value" in visibility ? String(visibility.value) : undefined }) ?? error;
}
