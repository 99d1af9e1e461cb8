import * as pulumi from "@pulumi/pulumi";
import { Image } from "pulumi-glance";

const config = new pulumi.Config();

const image = new Image("from-url", {
  name: config.get("imageName") ?? "from-url",
  source: {
    url: config.require("imageUrl"),
    sha512: config.get("imageSha512"),
    // Credentials for the download are secrets: `pulumi config set --secret sourcePassword …`
    username: config.get("sourceUsername"),
    password: config.getSecret("sourcePassword"),
  },
  importMethod: (config.get("importMethod") as "upload" | "web-download" | "auto" | undefined) ?? "upload",
  diskFormat: config.get("diskFormat") ?? "raw",
});

export const imageId = image.id;
export const status = image.status;
export const sha512 = image.hashValue;
