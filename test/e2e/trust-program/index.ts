import * as pulumi from "@pulumi/pulumi";
import { Image } from "pulumi-glance";

const cfg = new pulumi.Config();
const prefix = cfg.require("prefix");
const declaredProtected = cfg.getBoolean("protected");

// An image without data (quick to create); protection is left unset unless config declares it.
const image = new Image(
  "trust-image",
  {
    name: cfg.get("name") ?? `${prefix}-trust`,
    diskFormat: "raw",
    ...(declaredProtected === undefined ? {} : { protected: declaredProtected }),
  },
  { ignoreChanges: cfg.getObject<string[]>("ignoreChanges") ?? [] },
);

export const imageId = image.id;
export const endpoint = image.endpoint;
