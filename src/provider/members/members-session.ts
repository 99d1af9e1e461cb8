import type { DialectCapabilities } from "../../dialects/dialect";
import type { ImageMembers } from "../../dialects/image-member";
import { AuthError, InputError } from "../../errors";
import type { GlanceSession } from "../session";
import { configuredCapabilities } from "../session";
import { isUnknown } from "../unknown";
import { withSession } from "../with-session";

/** A session whose dialect has members. */
export interface MembersSession extends GlanceSession {
  readonly members: ImageMembers;
}

/**
 * Runs `work` with a session (the inputs' region and cloud, or at `endpoint` where the membership lives)
 * whose image API has members; an API without them is an {@link InputError} naming it.
 */
export async function withMembers<T>(inputs: { region?: unknown; cloud?: unknown }, work: (session: MembersSession) => Promise<T>, endpoint?: string): Promise<T> {
  return withSession(
    inputs,
    async (session) => {
      const members = session.dialect.members;
      if (members === undefined || session.dialect.capabilities.members !== true) {
        throw new InputError("imageId", `${session.dialect.capabilities.label} has no image members with an owner's offer and a member's answer: use glance:apiVersion v2`);
      }
      return work({ ...session, members });
    },
    endpoint,
  );
}

/**
 * What `check` knows of the image API: from the settings when they name it, else from a session (auto).
 * `null` when it cannot be known yet (an unknown region or cloud). A cloud entry that does not resolve is
 * the `cloud` input's failure.
 */
export async function membersCapabilities(news: Record<string, unknown>): Promise<{ capabilities: DialectCapabilities | null; cloudProblem?: string }> {
  if (isUnknown(news["cloud"]) || isUnknown(news["region"])) return { capabilities: null };
  const cloud = typeof news["cloud"] === "string" && news["cloud"] !== "" ? news["cloud"] : undefined;
  try {
    const configured = configuredCapabilities(cloud === undefined ? {} : { cloud });
    if (configured !== undefined) return { capabilities: configured };
    return { capabilities: await withSession(news, async (s) => s.dialect.capabilities) };
  } catch (error) {
    if (error instanceof AuthError && cloud !== undefined) return { capabilities: null, cloudProblem: error.message };
    throw error;
  }
}

/** The project the session acts as, for messages: "project demo (8b26…)", or "" without Keystone. */
export async function actingAs(session: GlanceSession): Promise<string> {
  const project = await session.project();
  if (project === undefined) return "";
  return `project ${project.name === undefined ? project.id : `${project.name} (${project.id})`}`;
}
