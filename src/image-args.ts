import type * as pulumi from "@pulumi/pulumi";
import type { GetImageIdsArgs } from "./lookups/args";

/**
 * An image of another region's Glance, copied by Glance itself with its `glance-download` import (Glance
 * 25/Zed and later, where the operator enabled it; it needs Keystone: Glance finds the other region in the
 * catalog of the caller's token and fetches with that token). The data never passes through the provider.
 */
export interface ImageGlanceSourceArgs {
  /**
   * The image's UUID in that region; it must be `active`, with the disk and container formats this image
   * declares (Glance copies them). A change **replaces** the image.
   */
  readonly id: pulumi.Input<string>;
  /** The region holding it, as Keystone's catalog names it (e.g. `RegionOne`). A change **replaces** the image. */
  readonly region: pulumi.Input<string>;
  /**
   * The catalog interface Glance reaches that region's image endpoint through: `public`, `internal` or
   * `admin`. Default `public` (Glance's default). A change replaces nothing (the same image is meant).
   */
  readonly serviceInterface?: pulumi.Input<"public" | "internal" | "admin">;
}

/** Where the image's data comes from. Set exactly one of `file`, `url` and `glanceImage`. */
export interface ImageSourceArgs {
  /**
   * Path of a local image file, relative to the Pulumi project directory. Streamed once into Glance.
   * A change of the file's **content** replaces the image; the file is only stat'ed during a preview
   * and hashed only when its size, mtime or inode moved. Moving it with the same bytes updates state only.
   */
  readonly file?: pulumi.Input<string>;
  /**
   * `http://` or `https://` URL of the image data. Fetched by the provider (or by Glance with
   * `importMethod: "web-download"`). A change replaces the image. Credentials must not be put in the
   * URL (they would be stored in state): use `username`/`password` or `headers`.
   */
  readonly url?: pulumi.Input<string>;
  /** Request headers for `url`, e.g. `{ Authorization: "Bearer …" }`. Secret: never stored in state. Changing them changes nothing. */
  readonly headers?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** HTTP basic-auth user for `url`. */
  readonly username?: pulumi.Input<string>;
  /** HTTP basic-auth password for `url`. Secret: never stored in state. */
  readonly password?: pulumi.Input<string>;
  /**
   * Expected SHA-256 of the data (64 hex digits). Verified against the bytes as they stream; a mismatch
   * fails the create and leaves no image. Changing it to a digest other than the uploaded data's replaces the image.
   */
  readonly sha256?: pulumi.Input<string>;
  /** Expected SHA-512 of the data (128 hex digits); as `sha256`, and checkable with web-download too (against Glance's `os_hash_value`). */
  readonly sha512?: pulumi.Input<string>;
  /**
   * Compression undone between the source and Glance, in the stream (one pass, bounded memory, no temp
   * file): `"gzip"`, `"bzip2"`, `"xz"`, `"zstd"`, `"auto"` (told by the data's first bytes, never by the
   * file name or Content-Type; data in no known format is uploaded as it is) or `"none"`. Default `"none"`;
   * with `"none"` data that starts like a known format is uploaded as it is, with a log line saying so.
   *
   * `sha256`/`sha512` stay the checksums of the file as published (compressed); Glance's own hash is
   * checked against the bytes uploaded (decompressed). Corrupt or truncated data fails the create with an
   * `ImageSourceError` naming the source and the byte offset, and leaves no image. Needs the bytes to pass
   * through the provider: refused with `importMethod: "web-download"` (and `"auto"` then uploads).
   *
   * A change replaces the image (other bytes would be uploaded), except to `"auto"` or to the format that
   * was actually undone, which upload the same bytes.
   *
   * Cost: gzip and zstd (Node's zlib) and xz (WebAssembly) run at hundreds of MB/s with flat memory;
   * bzip2 is decoded in pure JavaScript, slowly (about 5 MB/s), and holds each block's output while
   * decoding it: a block of long zero runs can expand to tens of MB, costing hundreds of MB of memory.
   */
  readonly decompress?: pulumi.Input<"gzip" | "bzip2" | "xz" | "zstd" | "auto" | "none">;
  /**
   * Whether each preview asks `url` if its content changed since it was sent (one `HEAD` per image, or one
   * conditional `GET` whose body is not read when the server refuses HEAD), and replaces the image when it
   * did, saying why (the ETag, else Last-Modified, else Content-Length recorded at upload differs). Default
   * `false`: a preview sends no request to the source. Changing it replaces nothing. Only with `url`.
   */
  readonly revalidate?: pulumi.Input<boolean>;
  /**
   * Copy an image of another region's Glance (`importMethod` `glance-download`, the default with it, or
   * `auto`): Glance fetches it itself. Needs Keystone: the provider reads the source image through the
   * catalog (same credentials, the other region's image endpoint), so a fixed `glance:endpoint`/`OS_IMAGE_URL`
   * is refused. Before anything is created it refuses a cloud that does not offer glance-download, a region
   * the catalog lacks, a missing or inactive source image, or other formats; afterwards it verifies that the
   * copy's `os_hash_value` equals the source's (the `hashValue` output), or, where the regions hash with
   * different algorithms, its size and md5 `checksum`. Glance also copies the source's `hw_*`, `trait:*`,
   * `os_distro`, `os_secure_boot` and `os_type` properties onto the copy by default (the operator's
   * `[glance_download_opts] extra_properties`); properties declared here win. A change of `id` or `region`
   * replaces the image, of `serviceInterface` not; switching between `file`/`url` and `glanceImage`
   * replaces it. Not with `headers`, credentials, digests, `decompress` or `revalidate`. Glance v2 only.
   */
  readonly glanceImage?: pulumi.Input<ImageGlanceSourceArgs>;
}

/** The arguments of an {@link Image}. */
export interface ImageArgs {
  /** Image name (at most 255 characters). Default: the resource's name. Updated in place. */
  readonly name?: pulumi.Input<string>;
  /** Disk format: `raw`, `qcow2`, `vmdk`, `vhd`, `vhdx`, `vdi`, `iso`, `ploop`, `aki`, `ari`, `ami`, or whatever the cloud's `/v2/schemas/image` allows. Required. A change replaces the image. */
  readonly diskFormat: pulumi.Input<string>;
  /** Container format: `bare`, `ovf`, `ova`, `docker`, `compressed`, `aki`, `ari`, `ami`, or what the cloud allows. Default `bare`. A change replaces the image. */
  readonly containerFormat?: pulumi.Input<string>;
  /** `private`, `shared`, `community` or `public` (public usually needs the admin role). Default `private`. Updated in place. */
  readonly visibility?: pulumi.Input<"private" | "shared" | "community" | "public">;
  /**
   * Glance's deletion protection. Default: unset, not managed (Glance's flag is left as it is, never
   * compared). Updated in place; applied only once the image is active. An image this program protected
   * is unprotected by the provider when Pulumi replaces or deletes it; one protected by someone else is
   * never unprotected (the delete fails). Use Pulumi's `protect` resource option to guard against
   * `pulumi destroy`.
   */
  readonly protected?: pulumi.Input<boolean>;
  /**
   * Glance's deactivation: `true` deactivates the image (its data can no longer be downloaded or booted, by
   * anyone but admins), `false` reactivates it. Default: unset, not managed (Glance's state is left as it
   * is, never compared). Updated in place; applied once the image is active, so it needs `source`. Who may
   * is the cloud's policy (admins; on recent Glance also members of the owning project): a refusal is an
   * error on this input. Glance v2 only.
   */
  readonly deactivated?: pulumi.Input<boolean>;
  /** Hide the image from default listings (`os_hidden`). Default `false`. Updated in place. */
  readonly hidden?: pulumi.Input<boolean>;
  /** Minimum disk size in GiB to boot the image. Default 0. Updated in place. */
  readonly minDiskGb?: pulumi.Input<number>;
  /** Minimum RAM in MiB to boot the image. Default 0. Updated in place. */
  readonly minRamMb?: pulumi.Input<number>;
  /** Tags, a set (order and duplicates ignored); at most 128, each at most 255 characters. Default: tags are not managed. Updated in place. */
  readonly tags?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Names of the applications the image is for (`applicationNames`, a set: order and duplicates ignored),
   * each a non-empty string. Only on `glance:apiVersion: "vendor-htaiyun"`, where it is required by the API
   * (an empty list is sent as no names); refused on Glance v2 and v1, which have no such field. Default:
   * none (`[]` sent). A change **replaces** the image: the vendor API's update takes application *ids*
   * (`imageApplications`), and its document maps no names to ids.
   */
  readonly applicationNames?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Custom properties (string values; at most 128). Only the keys declared here are managed: keys Glance
   * or operators add are never compared or removed; a key dropped from here is removed from the image.
   * Updated in place. Reserved (`os_glance_*`) and read-only keys are refused.
   */
  readonly properties?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Operating system distribution, Glance property `os_distro` (e.g. `ubuntu`, `centos`, `windows`). Updated in place. */
  readonly osDistro?: pulumi.Input<string>;
  /** Operating system version, property `os_version` (e.g. `24.04`). Updated in place. */
  readonly osVersion?: pulumi.Input<string>;
  /** Operating system type, property `os_type` (`linux` or `windows`). Updated in place. */
  readonly osType?: pulumi.Input<string>;
  /** CPU architecture, property `architecture` (e.g. `x86_64`, `aarch64`). Updated in place. */
  readonly architecture?: pulumi.Input<string>;
  /** Virtualization type, property `hypervisor_type` (e.g. `qemu`, `kvm`, `baremetal`). Updated in place. */
  readonly hypervisorType?: pulumi.Input<string>;
  /** Free-text description, property `description`. Updated in place. */
  readonly description?: pulumi.Input<string>;
  /** The image data. Default: none (an image record without data, status `queued`). See {@link ImageSourceArgs} for what replaces the image. */
  readonly source?: pulumi.Input<ImageSourceArgs>;
  /**
   * How the data reaches Glance: `upload` streams it through the provider (hashes verified in the
   * stream), `web-download` lets Glance fetch `source.url` itself, `glance-direct` streams it (hashed the
   * same way) into Glance's staging area (`PUT /stage`) and has Glance import it (into every listed store in
   * one import), `auto` uses web-download when the cloud offers it and no header, credential or sha256 needs
   * the bytes to pass through the provider, else glance-direct when the data goes to more than one store and
   * the cloud offers it, else upload (the preview says which); `glance-download` has Glance copy
   * `source.glanceImage` from another region (and is what `auto` and the default are with it). Default
   * `upload` (`glance-download` with `source.glanceImage`). A change only affects future creates.
   * glance-download where the cloud's `/v2/info/import` does not list it is refused at preview. Glance v1 and
   * the htaiyun API refuse web-download, glance-direct and glance-download.
   */
  readonly importMethod?: pulumi.Input<"upload" | "web-download" | "glance-direct" | "glance-download" | "auto">;
  /**
   * Store ids the data is kept in (multi-store Glance v2), a set: each must be one of the cloud's stores
   * (`/v2/info/stores`; `check` lists them). Default: unset, not managed (the data goes to the cloud's default
   * store). At create, an upload goes to the first store and the copy-image import copies it onto the others;
   * `web-download` imports into all of them. A change is made **in place**, never a replacement: added stores
   * get a copy (waited for, within `createTimeoutSeconds`; a failed store is reported by name), removed ones lose
   * theirs (`DELETE /v2/stores/{store}/{id}`). A store added or lost out of band shows on refresh and the next
   * `up` restores the declared set. Not with `allStores`. Refused by Glance v1 and the htaiyun API.
   */
  readonly stores?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Keep the data in every store the cloud has (read from `/v2/info/stores` when the image is created or
   * updated). Default false. Turning it on copies the data onto the missing stores in place; it never removes
   * a copy. Not with `stores`.
   */
  readonly allStores?: pulumi.Input<boolean>;
  /**
   * Whether one store failing fails the copy to all (`all_stores_must_succeed`): Glance stops at the first failed
   * store. With false, the stores that worked keep their copy and the error names those that did not. Default
   * true. Only changes how later copies are made: nothing is replaced.
   */
  readonly allStoresMustSucceed?: pulumi.Input<boolean>;
  /** Pin the image's UUID. Default: a random UUID chosen by the provider. A change replaces the image; Glance never reuses an id, so a pinned id cannot be replaced without changing it. */
  readonly imageId?: pulumi.Input<string>;
  /** OpenStack region of the image service. Default: the configured region. A change replaces the image. */
  readonly region?: pulumi.Input<string>;
  /**
   * The name of a clouds.yaml entry (found where the OpenStack clients look: `OS_CLIENT_CONFIG_FILE`, `./`,
   * `~/.config/openstack/`, `/etc/openstack/`; merged with secure.yaml) whose credentials, region, interface
   * and endpoint this image is managed with, instead of the stack's (`glance:*`, `OS_*`, `glance:cloud`/`OS_CLOUD`),
   * so one program manages images in several clouds or projects. Only the name is stored in state: the
   * entry is read at every operation, its secrets never leave it. `region` still overrides the entry's region.
   * Default: unset (the stack's settings). A change replaces the image (another entry is another identity).
   */
  readonly cloud?: pulumi.Input<string>;
  /** Deadline for the whole create (upload, processing, verification), in seconds. Default 1800. A change only affects future creates. */
  readonly createTimeoutSeconds?: pulumi.Input<number>;
  /**
   * What deleting or replacing the resource does to the Glance image: `delete` (default) deletes it,
   * `retire` keeps it but hides it (`os_hidden: true`) so instances and snapshots referring to it keep working.
   */
  readonly deletePolicy?: pulumi.Input<"delete" | "retire">;
  /**
   * Take over an existing image instead of creating one (`pulumi import` cannot work for dynamic
   * providers): `{ id }`, or `{ filter }` with the lookup filters of `getImageIds` (without `region`,
   * `sort`), which must match exactly one image. Default: unset, a new image is created. Read only when the
   * resource is created: a later change is recorded, nothing else.
   *
   * The image's disk and container formats must equal the declared ones (Glance cannot change them), and
   * with a `source` its data must be the source's: a file is streamed once and hashed with the image's own
   * algorithm (Glance's `os_hash_value`, or the MD5 `checksum` on Glance v1), never uploaded; a URL is not
   * fetched, its declared `sha512`/`sha256` must be the image's. Then only what the program declares is
   * updated: `visibility`, `hidden`, `minDiskGb` and `minRamMb` have no defaults with `adopt` (unset, they
   * are not managed), properties and tags not declared stay as they are. Refused, naming the input, when
   * the filter matches no image or several, or the formats or data differ.
   *
   * Deleting the resource leaves an adopted image in Glance unless `deleteAdopted` is true.
   */
  readonly adopt?: pulumi.Input<{ readonly id: pulumi.Input<string> } | { readonly filter: pulumi.Input<ImageAdoptFilterArgs> }>;
  /**
   * Whether deleting (or replacing) the resource deletes an adopted image (per `deletePolicy`). Default
   * `false`: it is left in Glance, as it was before the program adopted it. Only with `adopt`; a change is
   * recorded (run `pulumi up` before a `destroy` that should delete it).
   */
  readonly deleteAdopted?: pulumi.Input<boolean>;
}

/** The filters `adopt.filter` takes: those of `getImageIds`, except `region` and `cloud` (the resource's apply) and `sort`. */
export type ImageAdoptFilterArgs = Omit<GetImageIdsArgs, "region" | "cloud" | "sort">;
