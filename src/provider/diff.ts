import type { DiffResult } from "@pulumi/pulumi/dynamic";
import { InputError } from "../errors";
import { TYPED_PROPERTY_INPUTS } from "./typed-properties";
import type { ImageInputs, ImageOutputs } from "./inputs";
import { SAME_ENDPOINT, type EndpointVerdict } from "./endpoint-change";
import type { SourceVerdict } from "./source-change";
import { isUnknown } from "./unknown";

/**
 * Inputs whose change replaces the image: Glance cannot change them on an image with data (`applicationNames`,
 * a set: the vendor API changes applications by id only). (`region` is
 * not among them: where the image lives is decided by the endpoint it resolves to, see `endpoint-change.ts`.
 * `cloud` is: another clouds.yaml entry is another identity, usually another project, even at the same endpoint.)
 */
export const REPLACE_ON_CHANGE = ["diskFormat", "containerFormat", "imageId", "applicationNames", "cloud"] as const;

/** Inputs updated in place with one PATCH. */
export const UPDATE_IN_PLACE = ["name", "visibility", "protected", "deactivated", "hidden", "minDiskGb", "minRamMb", "tags", "properties", ...TYPED_PROPERTY_INPUTS] as const;

/** Inputs that only change how the provider works: recorded in state, nothing sent to Glance. */
export const RECORD_ONLY = ["importMethod", "createTimeoutSeconds", "deletePolicy", "region", "adopt", "deleteAdopted", "allStores", "allStoresMustSucceed"] as const;

/** A diff and the sentences that explain it. */
export interface PlannedDiff {
  readonly result: DiffResult;
  /** Why the image is replaced. */
  readonly reasons: string[];
  /** The inputs changed in place (names only: values may be secret). */
  readonly updates: string[];
}

/**
 * Compares the stored outputs with new inputs. Pure: the verdict on the source's content is computed
 * beforehand (`source-change.ts`). Throws when a replacement is impossible: a pinned `imageId` that
 * stays the same (Glance never reuses an id), so the preview says so instead of a failed create.
 */
export function planDiff(olds: ImageOutputs, news: ImageInputs, source: SourceVerdict, endpoint: EndpointVerdict = SAME_ENDPOINT): PlannedDiff {
  const replaces: string[] = [];
  const reasons: string[] = [];
  const updates: string[] = [];
  for (const key of REPLACE_ON_CHANGE) {
    const before = key === "applicationNames" ? normalizeTags(olds[key]) : olds[key];
    const after = key === "applicationNames" ? normalizeTags(news[key]) : news[key];
    if (!same(before, after)) {
      replaces.push(key);
      reasons.push(`${key} changed (${show(before)} → ${show(after)})`);
    }
  }
  if (source.replace) {
    replaces.push("source");
    reasons.push(source.reason ?? "the source changed");
  } else if (source.rewrite !== undefined) {
    updates.push(`source (${source.rewrite})`);
  }
  if (endpoint.replace) {
    replaces.push("endpoint");
    reasons.push(endpoint.reason ?? "the image endpoint changed");
  } else if (endpoint.record) {
    updates.push("endpoint");
  }
  // State written by 0.1.0 has no record of who protected the image, and holds that version's provider code,
  // which the engine runs for refresh and destroy until an update stores this one: update it once.
  if (olds.protectionOwned === undefined) updates.push("state (written by an older pulumi-glance: recorded again with this version)");
  for (const key of [...UPDATE_IN_PLACE, ...RECORD_ONLY]) {
    const before = key === "tags" ? normalizeTags(olds.tags) : olds[key];
    const after = key === "tags" ? normalizeTags(news.tags) : news[key];
    if (!same(before, after)) updates.push(key);
  }
  // Declared stores are compared with those the image holds (an output): a store added or lost out of band
  // shows as a change, made in place. Unset: not managed.
  if (news.stores !== undefined && !same(normalizeTags(olds.stores), normalizeTags(news.stores))) updates.push("stores");
  // A pinned id can be created again at another Glance (an endpoint move), never at the same one.
  if (replaces.some((key) => key !== "endpoint") && news.imageId !== undefined && !isUnknown(news.imageId) && news.imageId === olds.imageId) {
    throw new InputError(
      "imageId",
      `image ${news.imageId} must be replaced (${reasons.join("; ")}), but its id is pinned and Glance never reuses an id: change imageId to a new UUID or remove it`,
    );
  }
  return {
    result: { changes: updates.length > 0 || replaces.length > 0, replaces, deleteBeforeReplace: false },
    reasons,
    updates,
  };
}

/** A list compared as a set (tags, application names); unknown values are kept (they always differ). */
function normalizeTags<T>(tags: readonly string[] | T): string[] | T {
  return Array.isArray(tags) ? [...new Set(tags as readonly string[])].sort() : (tags as T);
}

/** Structural equality of JSON-like values; unknown values always differ. */
export function same(a: unknown, b: unknown): boolean {
  if (isUnknown(a) || isUnknown(b)) return false;
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  // Own keys only: a user key named like an Object.prototype member must not read the prototype's.
  return ka.every((k) => Object.hasOwn(b, k) && same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function show(value: unknown): string {
  return value === undefined ? "unset" : JSON.stringify(value);
}
