/**
 * catalogue: what a team moving from `@pulumi/openstack` or Terraform does with images, in one `pulumi up`.
 *
 * 1. Looks an existing image up (`getImageOutput`, a lookup in plain program code: it is never managed,
 *    and `pulumi destroy` leaves it as it was).
 * 2. Adopts an image made outside Pulumi (`adopt`: found by a filter, its formats checked, only the declared
 *    fields changed; `pulumi import` cannot work for a dynamic provider). With `deleteAdopted: false` (the
 *    default) `pulumi destroy` leaves it in Glance.
 * 3. Creates a new image with visibility `shared`, offers it to a second project (`ImageMember`, with the
 *    owner's clouds.yaml entry) which accepts it (`ImageMemberAccept`, with the member's entry). `pulumi
 *    destroy` withdraws the answer and the offer and deletes the image.
 *
 * The stack's own cloud (`glance:cloud`, or `OS_CLOUD`) is the owner's: the lookup uses it. Every resource
 * names its clouds.yaml entry with `cloud`; only the entries' names are stored in state, never their secrets.
 */
import * as pulumi from "@pulumi/pulumi";
import { Image, ImageMember, ImageMemberAccept, getImageOutput } from "pulumi-glance";

const config = new pulumi.Config();
const prefix = config.get("prefix") ?? "catalogue";
// Names of clouds.yaml entries: the owner project's and the member project's.
const ownerCloud = config.get("ownerCloud") ?? "owner";
const memberCloud = config.get("memberCloud") ?? "member";

// 1. A lookup: exactly one image of this name must exist (else a clear error naming the filter).
const base = getImageOutput({ name: config.get("baseImage") ?? `${prefix}-base`, status: "active" });

// 2. An image made by hand, taken over: found by name, its data checked against the file (by Glance's
//    os_hash_value, never uploaded again), a property added. Destroy leaves it in Glance.
const adopted = new Image("adopted", {
  name: config.get("adoptImage") ?? `${prefix}-legacy`,
  diskFormat: "raw",
  adopt: { filter: { name: config.get("adoptImage") ?? `${prefix}-legacy` } },
  source: { file: config.require("adoptFile") },
  properties: { team: "platform" },
  deleteAdopted: false,
  cloud: ownerCloud,
});

// 3. A new image that records the base it was built from, shared with the member project, which accepts it.
const shared = new Image("shared", {
  name: `${prefix}-shared`,
  diskFormat: "raw",
  visibility: "shared",
  source: { file: config.require("file") },
  properties: { base_image_id: base.id, base_image_name: base.name },
  cloud: ownerCloud,
});
const offer = new ImageMember("offer", { imageId: shared.id, memberId: config.require("memberProject"), cloud: ownerCloud });
const accept = new ImageMemberAccept("accept", { imageId: offer.imageId, status: "accepted", cloud: memberCloud }, { dependsOn: offer });

export const baseId = base.id;
export const adoptedId = adopted.id;
export const adoptedFlag = adopted.adopted;
export const sharedId = shared.id;
export const offerStatus = offer.status;
export const answer = accept.status;
export const acceptedBy = accept.memberId;
