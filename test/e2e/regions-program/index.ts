import * as pulumi from "@pulumi/pulumi";
import { Image } from "pulumi-glance";

const cfg = new pulumi.Config();
const prefix = cfg.require("prefix");
const stores = cfg.getObject<string[]>("stores");

// A file image in RegionOne whose stores the test changes between ups: in place, never a replacement.
const original = new Image("region-one-image", {
  name: `${prefix}-one`,
  source: { file: cfg.require("file") },
  diskFormat: "raw",
  region: "RegionOne",
  ...(stores === undefined ? {} : { stores }),
});

// Its copy in RegionTwo, made by RegionTwo's Glance itself (glance-download, the default with glanceImage).
const copy = cfg.getBoolean("copy") === true
  ? new Image("region-two-copy", {
      name: `${prefix}-two`,
      diskFormat: "raw",
      region: "RegionTwo",
      source: { glanceImage: { id: original.id, region: "RegionOne" } },
    })
  : undefined;

export const originalId = original.id;
export const originalStores = original.stores;
export const originalHash = original.hashValue;
export const originalEndpoint = original.endpoint;
export const copyId = copy?.id;
export const copyHash = copy?.hashValue;
export const copyEndpoint = copy?.endpoint;
export const copyFingerprint = copy?.sourceFingerprint;
