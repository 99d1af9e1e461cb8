import type { Transport } from "../../http/transport";
import { imageMemberPath, imageMembersPath } from "./paths";
import type { GlanceMember } from "./types";

/** Image sharing: the projects a `shared` image is offered to, and their answers. */
export class MembersApi {
  constructor(private readonly http: Transport) {}

  async list(imageId: string, signal?: AbortSignal): Promise<GlanceMember[]> {
    const res = await this.http.json<{ members: GlanceMember[] }>({
      method: "GET",
      path: imageMembersPath(imageId),
      expect: [200],
      context: `list members of image ${imageId}`,
      ...(signal === undefined ? {} : { signal }),
    });
    return res.body.members;
  }

  /** `GET /v2/images/{id}/members/{member}`: as the owner, or as the member itself. */
  async get(imageId: string, memberId: string, signal?: AbortSignal): Promise<GlanceMember> {
    const res = await this.http.json<GlanceMember>({
      method: "GET",
      path: imageMemberPath(imageId, memberId),
      expect: [200],
      context: `get member ${memberId} of image ${imageId}`,
      ...(signal === undefined ? {} : { signal }),
    });
    return res.body;
  }

  /** Offers the image to a project (status `pending`). Glance answers 200, not 201. */
  async add(imageId: string, memberId: string, signal?: AbortSignal): Promise<GlanceMember> {
    const res = await this.http.json<GlanceMember>({
      method: "POST",
      path: imageMembersPath(imageId),
      json: { member: memberId },
      expect: [200],
      context: `add member ${memberId} to image ${imageId}`,
      ...(signal === undefined ? {} : { signal }),
    });
    return res.body;
  }

  /** The member's own answer to an offer. */
  async setStatus(imageId: string, memberId: string, status: GlanceMember["status"], signal?: AbortSignal): Promise<GlanceMember> {
    const res = await this.http.json<GlanceMember>({
      method: "PUT",
      path: imageMemberPath(imageId, memberId),
      json: { status },
      expect: [200],
      context: `set member ${memberId} of image ${imageId} to ${status}`,
      ...(signal === undefined ? {} : { signal }),
    });
    return res.body;
  }

  async remove(imageId: string, memberId: string, signal?: AbortSignal): Promise<void> {
    await this.http.empty({
      method: "DELETE",
      path: imageMemberPath(imageId, memberId),
      expect: [204],
      context: `remove member ${memberId} from image ${imageId}`,
      ...(signal === undefined ? {} : { signal }),
    });
  }
}
