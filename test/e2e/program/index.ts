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

// #11.2 (only when test/e2e/secret-url.test.ts sets them): a pre-signed URL, whose signature lives in the
// query, and a URL the user marked secret. Neither query may be readable in state. The pre-signed URL comes
// from the environment, as a CI job would hand it over: plain stack config is itself stored in state.
const signedUrl = process.env["GLANCE_E2E_SIGNED_URL"];
const signedImage = signedUrl === undefined ? undefined : new Image("signed-url-image", { name: `${prefix}-signed`, source: { url: signedUrl }, diskFormat: "raw" });
const secretUrl = cfg.get("secretUrl") === undefined ? undefined : cfg.requireSecret("secretUrl");
const secretImage = secretUrl === undefined ? undefined : new Image("secret-url-image", { name: `${prefix}-secret`, source: { url: secretUrl }, diskFormat: "raw" });
export const signedImageId = signedImage?.id;
export const secretImageId = secretImage?.id;
