import * as pulumi from "@pulumi/pulumi";
import { InputError } from "./errors";
import type { ImageMemberArgs } from "./image-member-args";
import * as memberProvider from "./provider/members/member-provider";

/** Shared by every resource of this class: it holds nothing, and Pulumi serializes a provider once per object. */
const PROVIDER: pulumi.dynamic.ResourceProvider = memberProvider; // the module itself (see provider/provider.ts)

/**
 * A project's membership of a shared Glance image, managed by the image's owner (Glance v2's
 * `POST /v2/images/{id}/members`). Deleting the resource removes the member. The member answers with an
 * {@link ImageMemberAccept}, in its own project.
 *
 * ```ts
 * const image = new Image("golden", { diskFormat: "qcow2", visibility: "shared", source: { file: "./golden.qcow2" } });
 * const member = new ImageMember("golden-to-team-b", { imageId: image.id, memberId: "8b26b478d5df44f2a662bdf83bd54533" });
 * new ImageMemberAccept("team-b-accepts", { imageId: member.imageId, cloud: "team-b" }, { dependsOn: member });
 * ```
 */
export class ImageMember extends pulumi.dynamic.Resource {
  declare readonly imageId: pulumi.Output<string>;
  declare readonly memberId: pulumi.Output<string>;
  declare readonly region: pulumi.Output<string | undefined>;
  declare readonly cloud: pulumi.Output<string | undefined>;
  /** The member's answer as the owner sees it: `pending`, `accepted` or `rejected` (read on refresh). */
  declare readonly status: pulumi.Output<string>;
  declare readonly createdAt: pulumi.Output<string>;
  declare readonly updatedAt: pulumi.Output<string>;
  /** The image endpoint the membership lives at. */
  declare readonly endpoint: pulumi.Output<string>;

  constructor(name: string, args: ImageMemberArgs, opts?: pulumi.CustomResourceOptions) {
    if (typeof args !== "object" || args === null) throw new InputError("args", `new ImageMember("${name}", args) needs its arguments: { imageId, memberId }`);
    super(PROVIDER, name, { ...args, status: undefined, createdAt: undefined, updatedAt: undefined, endpoint: undefined }, opts, "glance", "ImageMember");
  }
}
