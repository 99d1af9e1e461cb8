import * as pulumi from "@pulumi/pulumi";
import { InputError } from "./errors";
import type { ImageMemberAcceptArgs } from "./image-member-args";
import * as acceptProvider from "./provider/members/accept-provider";

/** Shared by every resource of this class: it holds nothing, and Pulumi serializes a provider once per object. */
const PROVIDER: pulumi.dynamic.ResourceProvider = acceptProvider; // the module itself (see provider/provider.ts)

/**
 * The member project's answer to an image shared with it (Glance v2's
 * `PUT /v2/images/{id}/members/{member}`), given with the member's own credentials: usually a `cloud`
 * entry scoped to that project. Deleting the resource sets the answer back to `pending`.
 *
 * ```ts
 * new ImageMemberAccept("team-b-accepts", { imageId: member.imageId, cloud: "team-b" }, { dependsOn: member });
 * ```
 */
export class ImageMemberAccept extends pulumi.dynamic.Resource {
  declare readonly imageId: pulumi.Output<string>;
  /** The member project (declared, or the credentials' project). */
  declare readonly memberId: pulumi.Output<string>;
  /** The answer Glance holds (read on refresh: drift shows here). */
  declare readonly status: pulumi.Output<string>;
  declare readonly region: pulumi.Output<string | undefined>;
  declare readonly cloud: pulumi.Output<string | undefined>;
  declare readonly createdAt: pulumi.Output<string>;
  declare readonly updatedAt: pulumi.Output<string>;
  /** The image endpoint the membership lives at. */
  declare readonly endpoint: pulumi.Output<string>;

  constructor(name: string, args: ImageMemberAcceptArgs, opts?: pulumi.CustomResourceOptions) {
    if (typeof args !== "object" || args === null) throw new InputError("args", `new ImageMemberAccept("${name}", args) needs its arguments: { imageId }`);
    const props = { ...args, memberIdDeclared: undefined, createdAt: undefined, updatedAt: undefined, endpoint: undefined };
    super(PROVIDER, name, { memberId: undefined, status: undefined, ...props }, opts, "glance", "ImageMemberAccept");
  }
}
