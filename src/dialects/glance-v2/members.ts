import type { Transport } from "../../http/transport";
import { imageMemberPath, imageMembersPath } from "./paths";
import type { GlanceMember } from "./types";

/** Image sharing: the projects a `shared` image is offered to, and their answers. */
export class MembersApi {
  constructor(private readonly http: Transport) {}

  async list(imageId: string): Promise<GlanceMember[]> {
    const res = await this.http.json<{ members: GlanceMember[] }>({
      method: "GET",
      path: imageMembersPath(imageId),
      expect: [200],
      context: `list members of image ${imageId}`,
    });
    return res.body.members;
  }

  /** Offers the image to a project (status `pending`). Glance answers 200, not 201. */
  async add(imageId: string, memberId: string): Promise<GlanceMember> {
    const res = await this.http.json<GlanceMember>({
      method: "POST",
      path: imageMembersPath(imageId),
      json: { member: memberId },
      expect: [200],
      context: `add member ${memberId} to image ${imageId}`,
    });
    return res.body;
  }

  /** The member's own answer to an offer. */
  async setStatus(imageId: string, memberId: string, status: GlanceMember["status"]): Promise<GlanceMember> {
    const res = await this.http.json<GlanceMember>({
      method: "PUT",
      path: imageMemberPath(imageId, memberId),
      json: { status },
      expect: [200],
      context: `set member ${memberId} of image ${imageId} to ${status}`,
    });
    return res.body;
  }

  async remove(imageId: string, memberId: string): Promise<void> {
    await this.http.empty({
      method: "DELETE",
      path: imageMemberPath(imageId, memberId),
      expect: [204],
      context: `remove member ${memberId} from image ${imageId}`,
    });
  }
}
