import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { ImageMembership, MemberStatus } from "../../dialects/image-member";
import { InputError, isNotFound } from "../../errors";
import { reportFailures } from "../report";
import { useStackConfig } from "../settings";
import { checkMemberInputs, planMemberDiff, type AcceptInputs, type AcceptOutputs } from "./member-inputs";
import { actingAs, membersCapabilities, withMembers, type MembersSession } from "./members-session";

/**
 * What the dynamic provider behind `ImageMemberAccept` (accept-provider.ts) does: the member project answers an offer (accepted,
 * rejected or pending), with its own credentials (the `cloud` entry, or the stack's settings). No state,
 * no credentials kept. The resource's id is `{imageId}/{memberId}`; deleting it returns the answer to
 * `pending` (the offer stands, unanswered: the image leaves the member's default listings).
 */
class AcceptCalls implements dynamic.ResourceProvider<AcceptInputs, AcceptOutputs> {
  async configure(req: dynamic.ConfigureRequest): Promise<void> {
    useStackConfig(req.config);
  }

  async check(_olds: AcceptInputs, raw: AcceptInputs): Promise<dynamic.CheckResult<AcceptInputs>> {
    const news = raw as unknown as Record<string, unknown>;
    const { capabilities, cloudProblem } = await membersCapabilities(news);
    const { inputs, failures } = checkMemberInputs(news, "ImageMemberAccept", capabilities);
    if (cloudProblem !== undefined) failures.push({ property: "cloud", reason: cloudProblem });
    return { inputs: inputs as unknown as AcceptInputs, failures };
  }

  async diff(id: string, olds: AcceptOutputs, news: AcceptInputs): Promise<dynamic.DiffResult> {
    const { result, reasons, updates } = planMemberDiff(olds as unknown as Record<string, unknown>, news as unknown as Record<string, unknown>, ["status"]);
    if (reasons.length > 0) console.log(`glance image member answer ${id} will be replaced: ${reasons.join("; ")}`);
    else if (updates.length > 0) console.log(`glance image member answer ${id}: status ${olds.status} → ${news.status}`);
    return result;
  }

  async create(inputs: AcceptInputs): Promise<dynamic.CreateResult<AcceptOutputs>> {
    return withMembers(inputs, async (session) => {
      const memberId = inputs.memberId ?? (await ownProject(session));
      const member = await answer(session, inputs.imageId, memberId, inputs.status);
      return { id: `${inputs.imageId}/${memberId}`, outs: outputs(inputs, memberId, member, session.endpoint) };
    });
  }

  /** Drift: the answer as the member sees it now; an offer withdrawn (or the image gone) is gone. */
  async read(id: string, props?: AcceptOutputs): Promise<dynamic.ReadResult<AcceptOutputs>> {
    if (props === undefined) throw new InputError("id", "pulumi import and ImageMemberAccept.get without inputs are not supported by dynamic providers (pulumi/pulumi#16175): declare the answer in the program instead");
    return withMembers(
      props,
      async (session) => {
        try {
          const member = await session.members.get(props.imageId, props.memberId);
          const outs = outputs(props, props.memberId, member, session.endpoint, props.memberIdDeclared ?? true);
          // The inputs a refresh records: as declared (a memberId resolved at create stays undeclared). No key
          // may hold undefined: the host cannot send it (protobuf "Unexpected struct type").
          const { createdAt: _c, updatedAt: _u, endpoint: _e, memberIdDeclared, memberId, ...inputs } = outs;
          return { id, props: outs, inputs: (memberIdDeclared ? { ...inputs, memberId } : inputs) as unknown as AcceptOutputs };
        } catch (error) {
          if (isNotFound(error)) return {};
          throw error;
        }
      },
      props.endpoint,
    );
  }

  async update(_id: string, olds: AcceptOutputs, news: AcceptInputs): Promise<dynamic.UpdateResult<AcceptOutputs>> {
    return withMembers(
      news,
      async (session) => {
        const member = await answer(session, olds.imageId, olds.memberId, news.status);
        return { outs: outputs({ ...news, memberId: news.memberId ?? olds.memberId }, olds.memberId, member, session.endpoint, olds.memberIdDeclared) };
      },
      olds.endpoint,
    );
  }

  async delete(_id: string, props: AcceptOutputs): Promise<void> {
    await withMembers(
      props,
      async (session) => {
        try {
          await session.members.setStatus(props.imageId, props.memberId, "pending");
        } catch (error) {
          // The owner withdrew the offer, or deleted the image: nothing is left to answer.
          if (!isNotFound(error)) throw error;
        }
      },
      props.endpoint,
    );
  }
}

/** The project the credentials act as, the default member; without Keystone it cannot be known. */
async function ownProject(session: MembersSession): Promise<string> {
  const project = await session.project();
  if (project === undefined) throw new InputError("memberId", "memberId is unset and the settings use no Keystone project (a fixed endpoint or token): set memberId to the project answering");
  return project.id;
}

/** Sets the answer, explaining a missing offer and a project answering for another. */
async function answer(session: MembersSession, imageId: string, memberId: string, status: MemberStatus): Promise<ImageMembership> {
  try {
    return await session.members.setStatus(imageId, memberId, status);
  } catch (error) {
    const who = await actingAs(session);
    if (isNotFound(error)) {
      throw new InputError("imageId", `image ${imageId} has not been offered to project ${memberId} at ${session.endpoint} (or does not exist${who === "" ? "" : ` for ${who}`}): its owner adds the project first (an ImageMember; make this resource depend on it)`);
    }
    if (error instanceof InputError && error.field === "memberId" && who !== "") {
      throw new InputError("memberId", `${error.message.replace(/^memberId: /, "")} (these credentials act as ${who})`);
    }
    throw error;
  }
}

function outputs(inputs: AcceptInputs, memberId: string, member: ImageMembership, endpoint: string, declared = inputs.memberId !== undefined): AcceptOutputs {
  return {
    imageId: inputs.imageId,
    memberId,
    memberIdDeclared: declared,
    status: member.status,
    ...(inputs.region === undefined ? {} : { region: inputs.region }),
    ...(inputs.cloud === undefined ? {} : { cloud: inputs.cloud }),
    createdAt: member.createdAt,
    updatedAt: member.updatedAt,
    endpoint,
  };
}

// Every failure leaving the provider is a GlanceError, shown once, without a stack trace (see report.ts).
reportFailures(AcceptCalls, ["configure", "check", "diff", "create", "read", "update", "delete"]);

// STATE CONTRACT: the state written by earlier builds holds `require("pulumi-glance/dist/provider/members/accept-calls.js").acceptCalls.<method>` (the
// serialized provider; test/package/state-contract.test.ts). Renaming or moving this module, this export or
// any of its methods breaks refresh and destroy of every existing stack: keep them, or keep a forwarder.
/** The one instance accept-provider.ts hands over to (state written by earlier builds requires it by name). */
export const acceptCalls = new AcceptCalls();
