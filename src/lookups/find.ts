import * as pulumi from "@pulumi/pulumi";
import type { ImageDialect } from "../dialects/dialect";
import type { ImageRecord } from "../dialects/image-record";
import { openSession, type SessionOptions } from "../provider/session";
import type { GetImageIdsArgs, LookupOptions } from "./args";
import { toLookupFilter } from "./filter";

/** What a lookup found, and where. */
export interface Found {
  readonly images: readonly ImageRecord[];
  readonly endpoint: string;
}

/**
 * Every image matching `args`, over every page, through a session opened with the resource's settings
 * (stack config `glance:*` when run inside a Pulumi program, `OS_*`, clouds.yaml), `args.region` and `args.cloud`.
 * `session` is for tests and embedders (a program passes nothing).
 */
export async function findImages(args: GetImageIdsArgs, options: LookupOptions = {}, session: SessionOptions = {}): Promise<Found> {
  const opened = await openSession(args.region, { config: programConfig, ...(args.cloud === undefined ? {} : { cloud: args.cloud }), ...session });
  try {
    return { images: await matchingImages(opened.dialect, args, options.pageSize), endpoint: opened.endpoint };
  } finally {
    await opened.close();
  }
}

/** Every image `dialect` lists for the lookup arguments (all pages), `nameRegex` applied: lookups and adoption alike. */
export async function matchingImages(dialect: ImageDialect, args: Omit<GetImageIdsArgs, "region" | "cloud">, pageSize?: number, signal?: AbortSignal): Promise<ImageRecord[]> {
  const { filter, nameRegex } = toLookupFilter(args, dialect.capabilities, pageSize);
  const images: ImageRecord[] = [];
  for await (const image of dialect.list(filter, signal)) {
    if (nameRegex === undefined || (image.name !== null && nameRegex.test(image.name))) images.push(image);
  }
  return images;
}

/** The most recently created of `images` (ties: the most recently updated, then the greatest id). */
export function mostRecent(images: readonly ImageRecord[]): ImageRecord | undefined {
  const key = (image: ImageRecord): [number, number, string] => [Date.parse(image.createdAt), Date.parse(image.updatedAt), image.id];
  return images.reduce<ImageRecord | undefined>((best, image) => {
    if (best === undefined) return image;
    const [c1, u1, i1] = key(best);
    const [c2, u2, i2] = key(image);
    return c2 > c1 || (c2 === c1 && (u2 > u1 || (u2 === u1 && i2 > i1))) ? image : best;
  }, undefined);
}

/** The stack's config as the program sees it (`glance:endpoint` …); nothing outside a Pulumi program. */
const programConfig = { get: (key: string): string | undefined => pulumi.runtime.getConfig(key) };
