import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { ImageMembership } from "../../dialects/image-member";
import { InputError, isNotFound } from "../../errors";
import { reportFailures } from "../report";
import { useStackConfig } from "../settings";
import { checkMemberInputs, planMemberDiff, type MemberInputs, type MemberOutputs } from "./member-inputs";
import { actingAs, membersCapabilities, withMembers, type MembersSession } from "./members-session";

/**
 * What the dynamic provider behind `ImageMember` (member-provider.ts) does: the image's owner offers it to a project. It holds no state
 * and no credentials: every method resolves the settings (the stack's, or the `cloud` entry's) at run time.
 * The resource's id is `{imageId}/{memberId}`.
 */
class MemberCalls implements dynamic.ResourceProvider<MemberInputs, MemberOutputs> {
  async configure(req: dynamic.ConfigureRequest): Promise<void> {
    useStackConfig(req.config);
  }

  async check(_olds: MemberInputs, raw: MemberInputs): Promise<dynamic.CheckResult<MemberInputs>> {
    const news = raw as unknown as Record<string, unknown>;
    const { capabilities, cloudProblem } = await membersCapabilities(news);
    const { inputs, failures } = checkMemberInputs(news, "ImageMember", capabilities);
    if (cloudProblem !== undefined) failures.push({ property: "cloud", reason: cloudProblem });
    return { inputs: inputs as unknown as MemberInputs, failures };
  }

  async diff(id: string, olds: MemberOutputs, news: MemberInputs): Promise<dynamic.DiffResult> {
    const { result, reasons } = planMemberDiff(olds as unknown as Record<string, unknown>, news as unknown as Record<string, unknown>, []);
    if (reasons.length > 0) console.log(`glance image member ${id} will be replaced: ${reasons.join("; ")}`);
    return result;
  }

  async create(inputs: MemberInputs): Promise<dynamic.CreateResult<MemberOutputs>> {
    return withMembers(inputs, async (session) => {
      await requireShared(session, inputs.imageId);
      await requireKnownProject(session, inputs.memberId);
      const member = await session.members.add(inputs.imageId, inputs.memberId);
      return { id: `${inputs.imageId}/${inputs.memberId}`, outs: outputs(inputs, member, session.endpoint) };
    });
  }

  /** Drift: the member's answer as the owner sees it now; a membership (or image) gone is gone. */
  async read(id: string, props?: MemberOutputs): Promise<dynamic.ReadResult<MemberOutputs>> {
    if (props === undefined) throw new InputError("id", "pulumi import and ImageMember.get without inputs are not supported by dynamic providers (pulumi/pulumi#16175): declare the membership in the program instead");
    return withMembers(
      props,
      async (session) => {
        try {
          const member = await session.members.get(props.imageId, props.memberId);
          const outs = outputs(props, member, session.endpoint);
          return { id, props: outs, inputs: declared(outs) as unknown as MemberOutputs };
        } catch (error) {
          if (isNotFound(error)) return {};
          throw error;
        }
      },
      props.endpoint,
    );
  }

  async delete(_id: string, props: MemberOutputs): Promise<void> {
    await withMembers(
      props,
      async (session) => {
        try {
          await session.members.remove(props.imageId, props.memberId);
        } catch (error) {
          // Removed already (or the image deleted): what delete wants.
          if (!isNotFound(error)) throw error;
        }
      },
      props.endpoint,
    );
  }
}

/** A clear refusal before Glance's bare 403/404: the image must be visible to the owner and `shared`. */
async function requireShared(session: MembersSession, imageId: string): Promise<void> {
  let visibility: string;
  try {
    visibility = (await session.dialect.get(imageId)).visibility;
  } catch (error) {
    if (!isNotFound(error)) throw error;
    const who = await actingAs(session);
    throw new InputError("imageId", `no image ${imageId} at ${session.endpoint}${who === "" ? "" : ` visible to ${who}`}: share an image of the project this ImageMember's credentials act as (its cloud), with visibility "shared"`);
  }
  if (visibility !== "shared") {
    throw new InputError("imageId", `image ${imageId} is ${visibility}: only an image with visibility "shared" has members; set visibility: "shared" on the image (and make the ImageMember depend on it)`);
  }
}

/**
 * Glance takes any member id and shares with nobody when it names no project: Keystone is asked first. A
 * project it does not have is refused; when it will not tell (an ordinary user asking about another
 * project), the membership is made, with a note.
 */
async function requireKnownProject(session: MembersSession, memberId: string): Promise<void> {
  const verdict = await session.lookupProject(memberId);
  if (verdict === "missing") {
    throw new InputError("memberId", `Keystone has no project ${memberId}: Glance would accept the id and share the image with nobody; use the member project's id (openstack project show NAME -f value -c id)`);
  }
  if (verdict === "unknown") console.log(`glance image member: project ${memberId} could not be looked up with these credentials (Glance does not check member ids): make sure it is the member project's id`);
}

function outputs(inputs: MemberInputs, member: ImageMembership, endpoint: string): MemberOutputs {
  return { ...declared(inputs), status: member.status, createdAt: member.createdAt, updatedAt: member.updatedAt, endpoint };
}

function declared(inputs: MemberInputs): MemberInputs {
  return {
    imageId: inputs.imageId,
    memberId: inputs.memberId,
    ...(inputs.region === undefined ? {} : { region: inputs.region }),
    ...(inputs.cloud === undefined ? {} : { cloud: inputs.cloud }),
  };
}

// Every failure leaving the provider is a GlanceError, shown once, without a stack trace (see report.ts).
reportFailures(MemberCalls, ["configure", "check", "diff", "create", "read", "delete"]);

// STATE CONTRACT: the state written by earlier builds holds `require("pulumi-glance/dist/provider/members/member-calls.js").memberCalls.<method>` (the
// serialized provider; test/package/state-contract.test.ts). Renaming or moving this module, this export or
// any of its methods breaks refresh and destroy of every existing stack: keep them, or keep a forwarder.
/** The one instance member-provider.ts hands over to (state written by earlier builds requires it by name). */
export const memberCalls = new MemberCalls();
