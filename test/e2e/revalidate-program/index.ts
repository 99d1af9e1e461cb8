import * as pulumi from "@pulumi/pulumi";
import { Image } from "pulumi-glance";

const cfg = new pulumi.Config();
const revalidate = cfg.getBoolean("revalidate");

// One image uploaded from a URL; source.revalidate is left unset unless config declares it.
const image = new Image("url-image", {
  name: `${cfg.require("prefix")}-reval`,
  diskFormat: "raw",
  source: { url: cfg.require("url"), ...(revalidate === undefined ? {} : { revalidate }) },
});

export const imageId = image.id;
