import * as pulumi from "@pulumi/pulumi";
import { Image } from "pulumi-glance";

const cfg = new pulumi.Config();

// One image from a local file, large enough (behind a throttling proxy) for an `up` to be interrupted mid-upload.
const image = new Image("disk", {
  name: cfg.require("name"),
  source: { file: cfg.require("file") },
  diskFormat: "raw",
});

export const imageId = image.id;
