import * as pulumi from "@pulumi/pulumi";
import { Image } from "pulumi-glance";

const cfg = new pulumi.Config();
const prefix = cfg.require("prefix");

// With `withOther`, a second image is created in the same up and some inputs of the URL image wait for
// its id: at preview they are unknown (#11.7), at apply they resolve to the same values as before.
const other = cfg.getBoolean("withOther") ? new Image("other-image", { name: `${prefix}-other`, diskFormat: "raw" }) : undefined;
function later<T>(value: pulumi.Input<T>): pulumi.Input<T> {
  return other === undefined ? value : (other.id.apply(() => value) as unknown as pulumi.Input<T>);
}

// A file image whose properties use keys that are Object.prototype members (#11.8).
const fileImage = new Image("file-image", {
  name: `${prefix}-file`,
  source: { file: cfg.require("file") },
  diskFormat: "raw",
  properties: cfg.getObject<Record<string, string>>("properties") ?? { toString: "x", constructor: "y" },
});

// A URL image with a pinned id behind basic auth: region, password and headers may come from another
// resource's output.
const urlImage = new Image("url-image", {
  name: `${prefix}-url`,
  imageId: cfg.require("urlImageId"),
  region: later(cfg.get("region")) as pulumi.Input<string>,
  source: {
    url: cfg.require("url"),
    username: "user",
    password: later(cfg.requireSecret("sourcePassword")),
    headers: later({ "X-Trace": "e2e" }),
  },
  diskFormat: "raw",
});

export const fileImageId = fileImage.id;
export const fileImageProperties = fileImage.properties;
export const urlImageId = urlImage.id;
