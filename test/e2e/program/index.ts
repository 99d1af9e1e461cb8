import * as pulumi from "@pulumi/pulumi";
import { Image } from "pulumi-glance";

const cfg = new pulumi.Config();
const prefix = cfg.require("prefix");

// An image from a local file: name, tags, properties and protection are driven by config.
const fileImage = new Image(
  "file-image",
  {
    name: cfg.get("fileName") ?? `${prefix}-file`,
    source: { file: cfg.require("file") },
    diskFormat: "raw",
    tags: cfg.getObject<string[]>("tags") ?? ["e2e"],
    properties: cfg.getObject<Record<string, string>>("properties") ?? { team: "platform" },
    osDistro: "cirros",
    protected: cfg.getBoolean("protected") ?? false,
  },
  {
    ignoreChanges: cfg.getObject<string[]>("ignoreChanges") ?? [],
    protect: cfg.getBoolean("pulumiProtect") ?? false,
  },
);

// An image from a URL behind basic auth: the password is a secret and must never reach state.
const urlImage = new Image("url-image", {
  name: `${prefix}-url`,
  source: { url: cfg.require("url"), username: "user", password: cfg.requireSecret("sourcePassword") },
  diskFormat: "raw",
  minRamMb: 128,
});

export const fileImageId = fileImage.id;
export const fileImageStatus = fileImage.status;
export const fileImageHash = fileImage.hashValue;
export const urlImageId = urlImage.id;
export const urlImageStatus = urlImage.status;
