import * as pulumi from "@pulumi/pulumi";
import { ImageNotFoundError, MultipleImagesFoundError } from "../errors";
import type { GetImageArgs, GetImageIdsArgs, GetImageIdsOutputArgs, GetImageIdsResult, GetImageOutputArgs, GetImageResult, LookupOptions } from "./args";
import { describeFilters } from "./filter";
import { findImages, mostRecent } from "./find";
import { toLookupResult } from "./result";

/** How many ids a "several found" error lists. */
const IDS_SHOWN = 5;

/**
 * Looks up one image by its filters (plain program code: it talks to Glance from the program, with the
 * settings the `Image` resource uses). None found is an {@link ImageNotFoundError} (or `undefined` with
 * `optional: true`); several found is a {@link MultipleImagesFoundError} (or the most recently created
 * one with `mostRecent: true`). Both errors name the filters.
 */
export function getImage(args: GetImageArgs & { readonly optional?: false }, options?: LookupOptions): Promise<GetImageResult>;
export function getImage(args: GetImageArgs, options?: LookupOptions): Promise<GetImageResult | undefined>;
export async function getImage(args: GetImageArgs, options: LookupOptions = {}): Promise<GetImageResult | undefined> {
  const { images, endpoint } = await findImages(args, options);
  const first = images[0];
  if (first === undefined) {
    if (args.optional === true) return undefined;
    throw new ImageNotFoundError(describeFilters(args), endpoint);
  }
  if (images.length > 1 && args.mostRecent !== true) {
    throw new MultipleImagesFoundError(describeFilters(args), images.slice(0, IDS_SHOWN).map((image) => image.id), images.length, endpoint);
  }
  return toLookupResult(mostRecent(images) ?? first, endpoint);
}

/** {@link getImage} for arguments that may be Outputs: runs once they are known (not during a preview while unknown). */
export function getImageOutput(args: GetImageOutputArgs & { readonly optional?: false }, options?: LookupOptions): pulumi.Output<GetImageResult>;
export function getImageOutput(args: GetImageOutputArgs, options?: LookupOptions): pulumi.Output<GetImageResult | undefined>;
export function getImageOutput(args: GetImageOutputArgs, options: LookupOptions = {}): pulumi.Output<GetImageResult | undefined> {
  return pulumi.output(args).apply((plain) => getImage(plain as GetImageArgs, options));
}

/** The ids of every image matching the filters (`[]` when none), in the listing's order (`sort`). */
export async function getImageIds(args: GetImageIdsArgs = {}, options: LookupOptions = {}): Promise<GetImageIdsResult> {
  const { images } = await findImages(args, options);
  return { ids: images.map((image) => image.id) };
}

/** {@link getImageIds} for arguments that may be Outputs. */
export function getImageIdsOutput(args: GetImageIdsOutputArgs = {}, options: LookupOptions = {}): pulumi.Output<GetImageIdsResult> {
  return pulumi.output(args).apply((plain) => getImageIds(plain as GetImageIdsArgs, options));
}
