import { HttpError, InputError } from "../../errors";
import type { ImageMembers, ImageMembership, MemberStatus } from "../image-member";
import type { MembersApi } from "./members";
import type { GlanceMember } from "./types";

/**
 * Glance v2's members as {@link ImageMembers}: wire records mapped here, and the refusals that are the
 * caller's fault (recorded from Glance Zed and 33, see test/integration/client-members.test.ts) reworded
 * to name the input and the fix. A 404 stays an HttpError (`isNotFound`): gone, or never offered.
 */
export class GlanceV2Members implements ImageMembers {
  constructor(private readonly api: MembersApi) {}

  async list(imageId: string, signal?: AbortSignal): Promise<ImageMembership[]> {
    try {
      return (await this.api.list(imageId, signal)).map(toMembership);
    } catch (error) {
      throw notShared(error, imageId) ?? error;
    }
  }

  async get(imageId: string, memberId: string, signal?: AbortSignal): Promise<ImageMembership> {
    return toMembership(await this.api.get(imageId, memberId, signal));
  }

  async add(imageId: string, memberId: string, signal?: AbortSignal): Promise<ImageMembership> {
    try {
      return toMembership(await this.api.add(imageId, memberId, signal));
    } catch (error) {
      if (error instanceof HttpError && error.status === 409) {
        throw new InputError("memberId", `project ${memberId} is already a member of image ${imageId} (Glance: "${error.serverMessage ?? ""}"): another ImageMember or someone outside this program added it; remove that membership or this resource`);
      }
      throw notShared(error, imageId) ?? error;
    }
  }

  async setStatus(imageId: string, memberId: string, status: MemberStatus, signal?: AbortSignal): Promise<ImageMembership> {
    try {
      return toMembership(await this.api.setStatus(imageId, memberId, status, signal));
    } catch (error) {
      if (error instanceof HttpError && error.status === 403) {
        throw new InputError(
          "memberId",
          `Glance refused to set the answer of project ${memberId} to image ${imageId} ("${error.serverMessage ?? ""}"): only the member project itself may accept, reject or reset an offer; use a cloud (or stack settings) scoped to project ${memberId}`,
        );
      }
      throw error;
    }
  }

  async remove(imageId: string, memberId: string, signal?: AbortSignal): Promise<void> {
    await this.api.remove(imageId, memberId, signal);
  }
}

function toMembership(member: GlanceMember): ImageMembership {
  return { imageId: member.image_id, memberId: member.member_id, status: member.status, createdAt: member.created_at, updatedAt: member.updated_at };
}

/** Glance's 403 for members of an image that is not `shared` ("Not allowed to create members", "Only shared images have members."). */
function notShared(error: unknown, imageId: string): InputError | undefined {
  if (!(error instanceof HttpError) || error.status !== 403) return undefined;
  const said = error.serverMessage ?? "";
  if (!/create members|Only shared images have members/.test(said)) return undefined;
  return new InputError("imageId", `image ${imageId} cannot have members (Glance: "${said}"): only an image with visibility "shared" has members, and only its owner (or an admin) adds them; set visibility: "shared" on the image`);
}
