import type * as pulumi from "@pulumi/pulumi";

/** The arguments of an {@link ImageMember}. */
export interface ImageMemberArgs {
  /** The id of the image to share; it must have visibility `shared` and belong to the project these credentials act as. Required. A change replaces the membership. */
  readonly imageId: pulumi.Input<string>;
  /** The id of the project the image is offered to (Glance does not check that it exists). Required. A change replaces the membership. */
  readonly memberId: pulumi.Input<string>;
  /** OpenStack region of the image service. Default: the configured region. A change replaces the membership. */
  readonly region?: pulumi.Input<string>;
  /**
   * The name of a clouds.yaml entry (the image owner's) to act with instead of the stack's settings; only the
   * name is stored. Default: unset (the stack's settings). A change replaces the membership.
   */
  readonly cloud?: pulumi.Input<string>;
}

/** The arguments of an {@link ImageMemberAccept}. */
export interface ImageMemberAcceptArgs {
  /** The id of the image offered to the member project. Required. A change replaces the resource. */
  readonly imageId: pulumi.Input<string>;
  /**
   * The id of the member project answering. Default: the project the credentials act as (the Keystone
   * token's project; required without Keystone). A change replaces the resource.
   */
  readonly memberId?: pulumi.Input<string>;
  /**
   * The answer: `accepted` (the image appears in the member's default image listings), `rejected`, or
   * `pending` (no answer). Default `accepted`. Updated in place.
   */
  readonly status?: pulumi.Input<"accepted" | "rejected" | "pending">;
  /** OpenStack region of the image service. Default: the configured region. A change replaces the resource. */
  readonly region?: pulumi.Input<string>;
  /**
   * The name of a clouds.yaml entry scoped to the member project, to answer with its credentials instead of
   * the stack's; only the name is stored. Default: unset (the stack's settings). A change replaces the resource.
   */
  readonly cloud?: pulumi.Input<string>;
}
