import * as pulumi from "@pulumi/pulumi";
import { Image } from "pulumi-glance";

// One image of the vendor image API (glance:apiVersion vendor-htaiyun): created from its address, with
// application names; name, description and disk format come from config so the test can change them.
const cfg = new pulumi.Config();
const image = new Image("vendor-image", {
  name: cfg.require("name"),
  diskFormat: cfg.get("diskFormat") ?? "qcow2",
  source: { url: cfg.require("address") },
  importMethod: "web-download",
  description: cfg.require("description"),
  applicationNames: cfg.requireObject<string[]>("applicationNames"),
});

export const imageId = image.id;
export const imageStatus = image.status;
export const imageApplicationNames = image.applicationNames;
