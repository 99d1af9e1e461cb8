import * as pulumi from "@pulumi/pulumi";
import { Image } from "pulumi-glance";

// The disk file: scripts/example.sh writes a small one; point `diskFile` at a real image for real use.
const config = new pulumi.Config();
const diskFile = config.get("diskFile") ?? "./disk.raw";

const image = new Image("quickstart", {
  name: config.get("imageName") ?? "quickstart",
  source: { file: diskFile },
  diskFormat: "raw",
  osDistro: "cirros",
  osVersion: "0.6",
  architecture: "x86_64",
  minDiskGb: 1,
  tags: ["quickstart", "pulumi-glance"],
  properties: { owner_team: "platform" },
  protected: config.getBoolean("protected") ?? false,
});

const record = new Image("quickstart-record", {
  diskFormat: "qcow2",
  description: "an image record without data",
});

export const imageId = image.id;
export const status = image.status;
export const sizeBytes = image.sizeBytes;
export const sha512 = image.hashValue;
export const recordId = record.id;
export const recordStatus = record.status;
