import * as pulumi from "@pulumi/pulumi";
import { Image } from "pulumi-glance";

// Only inputs pulumi-glance 0.1.0 has: the same program runs on 0.1.0 and on this version.
const cfg = new pulumi.Config();
const prefix = cfg.require("prefix");

// A file image that declares its protection, tags and properties.
const guarded = new Image("guarded", {
  name: `${prefix}-guarded`,
  source: { file: cfg.require("file") },
  diskFormat: "raw",
  tags: ["base"],
  properties: { team: "platform" },
  osDistro: "cirros",
  protected: true,
});

// An image without data that leaves protection unset. Made after the first: 0.1.0 did not repeat a POST that
// failed with 500, which Glance 33 on sqlite answers to concurrent writes ("database is locked").
const plain = new Image("plain", { name: `${prefix}-plain`, diskFormat: "raw", minRamMb: 64 }, { dependsOn: [guarded] });

export const guardedId = guarded.id;
export const plainId = plain.id;
