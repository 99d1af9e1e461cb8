import * as pulumi from "@pulumi/pulumi";
import { Image } from "pulumi-glance";

const cfg = new pulumi.Config();
const prefix = cfg.require("prefix");
const which = cfg.require("case");

if (which === "get-unknown") {
  // A read-only reference to an id Glance does not have, and an image that depends on it: the get must fail
  // the program, so the dependent image is never created.
  const ref = Image.get("missing", cfg.require("referenceId"));
  new Image("dependent", { name: pulumi.interpolate`${prefix}-after-${ref.name}`, diskFormat: "raw" });
} else if (which === "ignore-key") {
  // One property key ignored, another managed: out-of-band changes to the first stay, to the second are undone.
  const image = new Image(
    "keyed",
    { name: `${prefix}-keyed`, diskFormat: "raw", properties: cfg.requireObject<Record<string, string>>("properties") },
    { ignoreChanges: cfg.getObject<string[]>("ignoreChanges") ?? [] },
  );
  module.exports = { imageId: image.id, properties: image.properties };
} else {
  throw new Error(`unknown case ${which}`);
}
