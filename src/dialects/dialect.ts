import type { Readable } from "node:stream";
import type { ImageMembers } from "./image-member";
import type { ImageChange, ImageFields, ImageFilter, ImageRecord, ImageState } from "./image-record";

/** The Glance image APIs, which `auto` chooses between from the endpoint's version document. */
export const GLANCE_API_VERSIONS = ["v2", "v1"] as const;
export type GlanceApiVersion = (typeof GLANCE_API_VERSIONS)[number];

/**
 * The image APIs the provider speaks; `glance:apiVersion` picks one (`auto` asks the endpoint, and picks a
 * Glance one only). `vendor-htaiyun` is the vendor image API of seed 004 (`/v1/openstack/image/*`), spoken
 * as its document reads: it has no version document, so it is only ever chosen by name.
 */
export const API_VERSIONS = [...GLANCE_API_VERSIONS, "vendor-htaiyun"] as const;
export type ApiVersion = (typeof API_VERSIONS)[number];

/**
 * What an API can hold and do. `check` refuses, per field and naming the API version, every declared
 * input the dialect cannot honour: nothing is silently dropped.
 */
export interface DialectCapabilities {
  /** The API's name in messages: `Glance v2`, `Glance v1`, `the htaiyun image API`. */
  readonly label: string;
  readonly tags: boolean;
  readonly hidden: boolean;
  /** Whether images carry a set of application names (`applicationNames` input). Absent: `false`. */
  readonly applicationNames?: boolean;
  /** Visibilities the API has (v1: `public`, `private`). */
  readonly visibilities: readonly string[];
  /** How the data may reach the server besides a streamed upload (`web-download`: the server fetches a URL). */
  readonly webDownload: boolean;
  /**
   * The digest the server records for the bytes it stored, which the stream must compute to verify the
   * upload: `multihash` (the record's `hashAlgo`/`hashValue`, sha512 or sha256) or `md5` (the record's
   * `checksum` only).
   */
  readonly verifiedBy: "multihash" | "md5";
  /**
   * Whether a record whose upload broke off takes data again (v2: it returns to `queued`, and the upload is
   * sent again). `false` (v1: the server kills the record, and answers 409 to more data) makes the first
   * broken upload the create's failure. Absent: `true`.
   */
  readonly reuploadAfterBreak?: boolean;
  /**
   * Whether the API shares images with other projects the way `ImageMember`/`ImageMemberAccept` manage
   * (an owner's offer, the member's own accepted/rejected/pending answer): then {@link ImageDialect.members}
   * is present. Absent: `false`.
   */
  readonly members?: boolean;
  /**
   * Whether an administrator can deactivate an active image (its data refused to all but admins) and
   * reactivate it: then {@link ImageDialect.setDeactivated} is present. Absent: `false`.
   */
  readonly deactivate?: boolean;
  /**
   * Whether the API can place an image's data in named stores (multi-store Glance v2: `stores`,
   * `allStores`, copy-image onto more stores, removal from one): then {@link ImageDialect.storeIds},
   * {@link ImageDialect.copyToStores} and {@link ImageDialect.removeFromStore} are present. Absent: `false`.
   */
  readonly stores?: boolean;
  /**
   * Whether the data can be staged (`PUT /stage`, streamed and hashed as an upload) and then imported by
   * the server (`glance-direct`): then {@link ImageDialect.stage} and {@link ImageDialect.importStaged} are
   * present. Absent: `false`.
   */
  readonly glanceDirect?: boolean;
  /**
   * Whether the server can copy an image from another region's server itself (Glance's `glance-download`
   * import; offered only where the operator enabled it, which `importMethods` tells): then
   * {@link ImageDialect.importFromRegion} is present. Absent: `false`.
   */
  readonly glanceDownload?: boolean;
  /** Property keys the server reserves for itself (refused as inputs), as a test. */
  isReservedProperty(key: string): boolean;
  /**
   * Why the API cannot hold a property (key or value) as declared, or `undefined` when it can; `check`
   * refuses the input with this reason (Glance v1: keys travel in header names, lower-cased, `-` → `_`;
   * values in header values). Absent: every key the API does not reserve, and every value, is held.
   */
  propertyProblem?(key: string, value: string): string | undefined;
  /** Why the API cannot hold this image name as declared, or `undefined` (absent: any name). */
  nameProblem?(name: string): string | undefined;
  /**
   * Where the cloud says which import methods it offers and how its operator enables `method`, in the API's
   * own terms (`offered`: the methods it lists), for a refusal of an input that needs it. Absent: the
   * methods offered are named, no more.
   */
  explainImportMethodMissing?(method: string, offered: readonly string[]): string;
  /** How the API shows that the server has a single store, for a refusal of `stores`. Absent: no more is said. */
  explainSingleStore?(): string;
  /** Why a key {@link isReservedProperty} refuses is refused, with the fix (`check` says it); default: "reserved by {label}". */
  explainReservedProperty?(key: string): string | undefined;
  /**
   * Inputs this API cannot honour that the flags above do not cover (an API without protection, without
   * uploads, with one meaning of `source`…), each with the reason and the fix; `check` refuses them per
   * field. Values Pulumi does not know yet are let through. Absent: nothing more is refused.
   */
  inputProblems?(inputs: Readonly<Record<string, unknown>>): readonly { readonly property: string; readonly reason: string }[];
}

/** Options of {@link ImageDialect.waitUntilActive}. */
export interface WaitForActive {
  /** Set after a server-side import was started: a failed import ends the wait with an `ImportFailedError`. */
  readonly importing?: boolean;
  /** Deadline in milliseconds from now. */
  readonly timeoutMs: number;
  /** Name of the timeout in errors (the input that sets it). */
  readonly timeoutName: string;
  readonly signal?: AbortSignal;
  readonly onPoll?: (image: ImageRecord) => void;
}

/** Disk and container formats the server accepts; `undefined` lists mean "any" (not published). */
export interface AllowedFormats {
  readonly diskFormats: readonly string[] | undefined;
  readonly containerFormats: readonly string[] | undefined;
}

/**
 * One image API, as the provider needs it. The v2 client is one implementation, v1 another. Every
 * method speaks {@link ImageRecord}/{@link ImageFields}; wire names, paths, headers and status codes stay
 * inside the implementation. A missing image rejects with an error for which `isNotFound` (errors) is true.
 * Repeats of idempotent requests happen inside (the one retry mechanism, `http/retry.ts`); non-idempotent
 * ones are never repeated blindly.
 */
export interface ImageDialect {
  readonly api: ApiVersion;
  readonly capabilities: DialectCapabilities;
  /** The endpoint the dialect talks to, without credentials and without the version suffix. */
  readonly endpoint: string;

  /**
   * Creates the record, without data, under the client-chosen `id`. A create whose answer was lost and
   * that is sent again is recognised by `marker` (the value of the create-marker property in
   * `fields.properties`): a record with this id carrying it is this create's own and is returned; an id
   * taken otherwise is an `InputError` on `imageId`.
   */
  createRecord(
    id: string,
    fields: ImageFields & { readonly diskFormat: string; readonly containerFormat: string },
    marker: string,
    signal: AbortSignal,
  ): Promise<ImageRecord>;

  get(id: string, signal?: AbortSignal): Promise<ImageRecord>;

  /** Every image matching `filter`, all pages. */
  list(filter: ImageFilter, signal?: AbortSignal): AsyncIterable<ImageRecord>;

  /**
   * Brings the image toward `want(current)`, touching only the fields and properties named there
   * (properties others added survive). After a failure that may or may not have been applied (5xx, a lost
   * connection) the image is read again and `want` asked again: nothing is sent when it already holds.
   * Refusals that are an input's fault become `InputError`s naming the input.
   */
  update(id: string, current: ImageRecord, want: (image: ImageRecord) => ImageChange, signal?: AbortSignal): Promise<ImageRecord>;

  /** Deletes the image (a protected one is refused by the server: unprotect with `update` first). */
  delete(id: string, signal?: AbortSignal): Promise<void>;

  /** Streams `data` as the image's data (consumed once, never buffered). `size` when known, in bytes. */
  upload(id: string, data: Readable | AsyncIterable<Uint8Array>, options: { readonly size?: number; readonly store?: string; readonly signal: AbortSignal }): Promise<void>;

  /** Streams `data` into the image's staging area (consumed once), when `capabilities.glanceDirect`. */
  stage?(id: string, data: Readable | AsyncIterable<Uint8Array>, options: { readonly size?: number; readonly signal: AbortSignal }): Promise<void>;

  /** Imports the staged data (`glance-direct`) into `stores` (or the default store), when `capabilities.glanceDirect`. */
  importStaged?(id: string, signal: AbortSignal, stores?: { readonly stores: readonly string[]; readonly allMustSucceed: boolean }): Promise<void>;

  /**
   * Has the server copy image `remote.imageId` of region `remote.region` (reached through its catalog's
   * `remote.serviceInterface` endpoint) into the queued image `id`, when `capabilities.glanceDownload`.
   * The server also sets the image's formats from the source's.
   */
  importFromRegion?(
    id: string,
    remote: { readonly imageId: string; readonly region: string; readonly serviceInterface?: string | undefined },
    signal: AbortSignal,
    stores?: { readonly stores: readonly string[]; readonly allMustSucceed: boolean },
  ): Promise<void>;

  /** Has the server fetch `url` itself (only when `capabilities.webDownload`). */
  importFromUrl(id: string, url: string, signal: AbortSignal, stores?: { readonly stores: readonly string[]; readonly allMustSucceed: boolean }): Promise<void>;

  /** The import methods the server offers now (`[]` where it has none). */
  importMethods(signal?: AbortSignal): Promise<readonly string[]>;

  /** Polls until the image is `active`; a failure state (or failed import) ends the wait at once with the reason. */
  waitUntilActive(id: string, options: WaitForActive): Promise<ImageRecord>;

  /** The formats the server accepts (cached per endpoint by the caller). */
  allowedFormats(signal?: AbortSignal): Promise<AllowedFormats>;

  /** Image sharing, when `capabilities.members`. */
  readonly members?: ImageMembers;

  /**
   * Deactivates (`true`) or reactivates (`false`) an image, when `capabilities.deactivate`. Admin only: a
   * refusal of the caller's role is an `InputError` on `deactivated`.
   */
  setDeactivated?(id: string, deactivated: boolean, signal?: AbortSignal): Promise<void>;

  /** The ids of the stores the server has (`[]`: a single-store server), when `capabilities.stores`. */
  storeIds?(signal?: AbortSignal): Promise<readonly string[]>;

  /**
   * Copies an active image's data onto `stores` and waits for it, when `capabilities.stores`. A store
   * that failed ends it with an `ImportFailedError` naming each store not copied; the image stays active.
   */
  copyToStores?(id: string, stores: readonly string[], options: { readonly allMustSucceed: boolean; readonly timeoutMs: number; readonly timeoutName: string; readonly signal?: AbortSignal }): Promise<void>;

  /** Removes the image's data from one store (the others keep it), when `capabilities.stores`. */
  removeFromStore?(id: string, store: string, signal?: AbortSignal): Promise<void>;

  /** Ends this dialect's use of its connections. */
  close(): Promise<void>;
}

export type { ImageChange, ImageFields, ImageFilter, ImageRecord, ImageState };
