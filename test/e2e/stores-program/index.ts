import * as pulumi from "@pulumi/pulumi";
import { Image } from "pulumi-glance";

const cfg = new pulumi.Config();
const prefix = cfg.require("prefix");

// One file image whose stores the test changes between ups: in place, never a replacement.
const image = new Image("stored-image", {
  name: `${prefix}-stored`,
  source: { file: cfg.require("file") },
  diskFormat: "raw",
  stores: cfg.requireObject<string[]>("stores"),
});

export const imageId = image.id;
export const stores = image.stores;
export const hashValue = image.hashValue;
