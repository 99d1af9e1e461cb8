import * as pulumi from "@pulumi/pulumi";
import { Image } from "pulumi-glance";

const cfg = new pulumi.Config();
const prefix = cfg.require("prefix");

// An image from a local file on a Glance v1 (stack config glance:apiVersion v1): protected by the program,
// properties and disk format driven by config.
const image = new Image("v1-image", {
  name: `${prefix}-file`,
  source: { file: cfg.require("file") },
  diskFormat: cfg.get("diskFormat") ?? "raw",
  properties: cfg.getObject<Record<string, string>>("properties") ?? { team: "platform" },
  osDistro: "cirros",
  minRamMb: 64,
  protected: true,
});

export const imageId = image.id;
export const imageChecksum = image.checksum;
export const imageHashAlgo = image.hashAlgo;
export const imageStatus = image.status;
