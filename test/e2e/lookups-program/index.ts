import * as pulumi from "@pulumi/pulumi";
import { Image, getImageOutput } from "pulumi-glance";

const cfg = new pulumi.Config();
const prefix = cfg.require("prefix");
const batch = cfg.require("batch");

// A lookup by properties only, whose filter value is an Output.
const found = getImageOutput({ properties: { batch: pulumi.output(batch), role: "lookup" } });

// A read-only reference to an image by id: read on every up, never changed or deleted.
const reference = Image.get("reference", cfg.require("referenceId"));

// An existing image taken over: its data checked against the file, only the declared fields changed.
const adopted = new Image("adopted", {
  name: `${prefix}-adopted`,
  diskFormat: "raw",
  adopt: { filter: { properties: { batch, role: "adopt" } } },
  source: { file: cfg.require("file") },
  properties: { team: "platform" },
});

export const foundId = found.id;
export const foundName = found.name;
export const referenceName = reference.name;
export const referenceVisibility = reference.visibility;
export const referenceProperties = reference.properties;
export const adoptedId = adopted.id;
export const adoptedFlag = adopted.adopted;
