import * as pulumi from "@pulumi/pulumi";
import { Image, ImageMember, ImageMemberAccept } from "pulumi-glance";

const config = new pulumi.Config();
const prefix = config.get("prefix") ?? "shared";
// Names of clouds.yaml entries (only the names are stored in state, never the entries' secrets).
const ownerCloud = config.get("ownerCloud") ?? "owner";
const memberCloud = config.get("memberCloud") ?? "member";

// The owner's image, in the owner entry's project; visibility "shared" so that it can have members.
const image = new Image("shared-image", {
  name: `${prefix}-image`,
  diskFormat: config.get("diskFormat") ?? "raw",
  visibility: "shared",
  source: { file: config.require("file") },
  cloud: ownerCloud,
});

// The owner offers it to the member project (its id: `openstack project show NAME -f value -c id`)...
const offer = new ImageMember("offer", { imageId: image.id, memberId: config.require("memberProject"), cloud: ownerCloud });

// ...which accepts it with its own credentials; memberId defaults to the member entry's project.
const accept = new ImageMemberAccept("accept", { imageId: offer.imageId, status: "accepted", cloud: memberCloud }, { dependsOn: offer });

export const imageId = image.id;
export const owner = image.owner;
export const offerStatus = offer.status;
export const answer = accept.status;
export const acceptedBy = accept.memberId;
