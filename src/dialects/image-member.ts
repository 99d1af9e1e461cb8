/**
 * Image sharing in the provider's own vocabulary: a project offered an image (a member) and its answer.
 * A dialect whose API has members in this sense (Glance v2) maps its wire records onto these in its own
 * module; an API without them (Glance v1's members carry no answer; the vendor API has none) leaves
 * {@link ImageDialect.members} out and `capabilities.members` false.
 */

/** A member's answer to the owner's offer: `pending` until it accepts or rejects. */
export const MEMBER_STATUSES = ["pending", "accepted", "rejected"] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

/** One project's membership of one image. */
export interface ImageMembership {
  readonly imageId: string;
  /** The member project's id. */
  readonly memberId: string;
  readonly status: MemberStatus;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/**
 * The members of images, as the owner (add, remove, list) and as the member (answer) see them. A missing
 * image or membership rejects with an error for which `isNotFound` is true; refusals that are the
 * caller's fault (a private image, a project answering for another) are `InputError`s naming the input.
 */
export interface ImageMembers {
  list(imageId: string, signal?: AbortSignal): Promise<ImageMembership[]>;
  get(imageId: string, memberId: string, signal?: AbortSignal): Promise<ImageMembership>;
  /** Offers the image to the project (status `pending`). */
  add(imageId: string, memberId: string, signal?: AbortSignal): Promise<ImageMembership>;
  /** The member's answer; only the member project itself may give it. */
  setStatus(imageId: string, memberId: string, status: MemberStatus, signal?: AbortSignal): Promise<ImageMembership>;
  remove(imageId: string, memberId: string, signal?: AbortSignal): Promise<void>;
}
