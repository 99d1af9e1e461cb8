import * as pulumi from "@pulumi/pulumi";
import { Image, ImageMember, ImageMemberAccept } from "pulumi-glance";

const cfg = new pulumi.Config();
const prefix = cfg.require("prefix");

// The owner's image, in the project of the clouds.yaml entry "owner"; shared, so it can have members.
const image = new Image("shared-image", {
  name: `${prefix}-shared`,
  diskFormat: "raw",
  visibility: "shared",
  source: { file: cfg.require("file") },
  cloud: "owner",
});

// The owner offers it to the member project...
const offer = new ImageMember("offer", { imageId: image.id, memberId: cfg.require("memberProject"), cloud: "owner" });

// ...which accepts with its own credentials (entry "member"); memberId defaults to that entry's project.
const accept = new ImageMemberAccept("accept", { imageId: offer.imageId, status: "accepted", cloud: "member" }, { dependsOn: offer });

export const imageId = image.id;
export const owner = image.owner;
export const offerStatus = offer.status;
export const answer = accept.status;
export const acceptedBy = accept.memberId;
