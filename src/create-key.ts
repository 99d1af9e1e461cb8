import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";

/** The resource type token of {@link Image} (`pulumi-nodejs:dynamic/<module>:<type>`). */
const IMAGE_TYPE = "pulumi-nodejs:dynamic/glance:Image";

/**
 * The create key of a resource: what a create marks its image with until the image is finished, so that
 * the next create of the same resource finds what an interrupted create (SIGKILL, OOM, a lost runner)
 * left behind. It names one resource of one stack — the hex SHA-256, truncated to 128 bits, of the
 * organization, project, stack, parent URN, type and name (the parts of the URN, which dynamic providers
 * never see) — and reveals none of them.
 */
export function createKey(name: string, parent: pulumi.Resource | undefined): pulumi.Output<string> {
  const org = organization();
  const project = pulumi.getProject();
  const stack = pulumi.getStack();
  const parentUrn = parent === undefined ? pulumi.output("") : parent.urn;
  return parentUrn.apply((urn) => hashKey([org, project, stack, urn, IMAGE_TYPE, name]));
}

/** The stack's organization, or "" where the language host does not pass one (older CLIs). */
function organization(): string {
  try {
    return pulumi.getOrganization();
  } catch {
    return "";
  }
}

/** The key of the given URN parts (exported for tests). */
export function hashKey(parts: readonly string[]): string {
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex").slice(0, 32);
}
