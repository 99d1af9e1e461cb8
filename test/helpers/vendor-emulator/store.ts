import { randomBytes } from "node:crypto";
import type { Profile } from "../../../src/dialects/vendor-htaiyun/contract";

/** One image as the emulator keeps it (its own record; rendered per operation as the seed's examples show). */
export interface StoredImage {
  readonly unique: string;
  status: string;
  readonly created: number;
  updated: number;
  name: string;
  displayName: string;
  minLimit: number;
  size: number;
  minRam: number;
  minDisk: number;
  description: string;
  applicationNames: string[];
  containerFormat: string;
  diskFormat: string;
  imageAddress: string;
  /** Reads left before an image created under `createdStatus=async` becomes ACTIVED. */
  readsUntilActive: number;
}

/** The images of one emulator, and the ids of the applications named so far (imageApplications). */
export class Store {
  readonly images = new Map<string, StoredImage>();
  readonly deleted = new Set<string>();
  private readonly applications: string[] = [];
  private counter = 0;

  constructor(private readonly profile: Profile) {}

  /** A MongoDB ObjectId (the examples' `unique`: 4 bytes of seconds first), or a number under `uniqueType=integer`. */
  newId(now: number): string {
    this.counter += 1;
    if (this.profile.uniqueType === "integer") return String(1000 + this.counter);
    const seconds = Math.floor(now / 1000).toString(16).padStart(8, "0");
    return `${seconds}${randomBytes(5).toString("hex")}${this.counter.toString(16).padStart(6, "0")}`;
  }

  applicationId(name: string): number {
    let index = this.applications.indexOf(name);
    if (index < 0) index = this.applications.push(name) - 1;
    return index + 1;
  }

  applicationName(id: string): string | undefined {
    return /^\d+$/.test(id) ? this.applications[Number(id) - 1] : undefined;
  }
}

/** The `unique` value in JSON: a string, or a number under `uniqueType=integer`. */
function uniqueValue(image: StoredImage, profile: Profile): string | number {
  return profile.uniqueType === "integer" ? Number(image.unique) : image.unique;
}

/** An image as create and update answer it (L77-86, L161-169). */
export function writtenImage(image: StoredImage, store: Store, profile: Profile): Record<string, unknown> {
  return {
    unique: uniqueValue(image, profile),
    status: image.status,
    created: image.created,
    updated: image.updated,
    name: image.name,
    displayName: image.displayName,
    minLimit: image.minLimit,
    size: image.size,
    minRam: image.minRam,
    minDisk: image.minDisk,
    description: image.description,
    imageApplications: image.applicationNames.map((n) => store.applicationId(n)),
    containerFormat: image.containerFormat,
    diskFormat: image.diskFormat,
    links: [],
  };
}

/** An image as read and list answer it (L214-224, L363-372), isPublic/isProtected per `visibilityFlags`. */
export function readImage(image: StoredImage, profile: Profile): Record<string, unknown> {
  const nullFormats = profile.formatOutput === "null-on-read";
  return {
    unique: uniqueValue(image, profile),
    status: image.status,
    created: image.created,
    updated: image.updated,
    name: image.name,
    size: image.size,
    minRam: image.minRam,
    minDisk: image.minDisk,
    ...(profile.visibilityFlags === "present" ? { isPublic: false, isProtected: false } : {}),
    description: image.description,
    applicationNames: [...image.applicationNames],
    containerFormat: nullFormats ? null : image.containerFormat,
    diskFormat: nullFormats ? null : image.diskFormat,
    links: [],
  };
}
