import type { CheckFailure, DiffResult } from "@pulumi/pulumi/dynamic";
import type { DialectCapabilities } from "../../dialects/dialect";
import { MEMBER_STATUSES, type MemberStatus } from "../../dialects/image-member";
import { same } from "../diff";
import { isUnknown } from "../unknown";

/** The inputs of an `ImageMember` as the provider receives them (after `check`). */
export interface MemberInputs {
  readonly imageId: string;
  readonly memberId: string;
  readonly region?: string;
  readonly cloud?: string;
}

/** What an `ImageMember` stores. */
export interface MemberOutputs extends MemberInputs {
  /** The member's answer, as the owner sees it. */
  readonly status: MemberStatus;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** The image endpoint the membership lives at. */
  readonly endpoint: string;
}

/** The inputs of an `ImageMemberAccept` (after `check`: `status` defaulted). */
export interface AcceptInputs {
  readonly imageId: string;
  /** Unset: the project the credentials act as (Keystone), resolved at create. */
  readonly memberId?: string;
  readonly status: MemberStatus;
  readonly region?: string;
  readonly cloud?: string;
}

/** What an `ImageMemberAccept` stores: `memberId` resolved. */
export interface AcceptOutputs extends AcceptInputs {
  readonly memberId: string;
  /** Whether `memberId` was declared (false: resolved from the credentials' project at create). */
  readonly memberIdDeclared: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly endpoint: string;
}

/** Inputs whose change makes another membership (or another identity answering): replaced. */
export const MEMBER_REPLACE = ["imageId", "memberId", "region", "cloud"] as const;

/** Glance's limit on a member id (`image_members.member`, a String(255)). */
const MAX_MEMBER_ID = 255;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Validates the inputs of either resource, per field with the fix; values not known yet pass. `memberId`
 * is required for `ImageMember` only. An API without members (`capabilities.members` false) is refused
 * naming it; `null` (the API not known yet) skips that.
 */
export function checkMemberInputs(
  news: Record<string, unknown>,
  kind: "ImageMember" | "ImageMemberAccept",
  capabilities: DialectCapabilities | null,
): { inputs: Record<string, unknown>; failures: CheckFailure[] } {
  const failures: CheckFailure[] = [];
  const fail = (property: string, reason: string): void => {
    failures.push({ property, reason });
  };
  const known = kind === "ImageMember" ? ["imageId", "memberId", "region", "cloud", "__provider"] : ["imageId", "memberId", "status", "region", "cloud", "__provider"];
  const inputs: Record<string, unknown> = Object.fromEntries(Object.entries(news).filter(([, v]) => v !== undefined));
  if (kind === "ImageMemberAccept" && inputs["status"] === undefined) inputs["status"] = "accepted";
  for (const key of Object.keys(news)) if (!known.includes(key)) fail(key, `unknown input "${key}" of ${kind}: use ${known.slice(0, -1).join(", ")}`);

  const imageId = inputs["imageId"];
  if (imageId === undefined) fail("imageId", "imageId is required: set it to the shared image's id (e.g. image.id)");
  else if (!isUnknown(imageId) && (typeof imageId !== "string" || !UUID.test(imageId))) fail("imageId", `imageId must be an image's UUID, such as 8f2e1c44-5a4b-4c1e-9d3f-2b7a6c0e1f00 (got ${JSON.stringify(imageId)})`);

  const memberId = inputs["memberId"];
  if (memberId === undefined) {
    if (kind === "ImageMember") fail("memberId", "memberId is required: set it to the id of the project the image is shared with");
  } else if (!isUnknown(memberId) && (typeof memberId !== "string" || memberId.trim() === "" || memberId.length > MAX_MEMBER_ID)) {
    fail("memberId", `memberId must be a project id (a non-empty string of at most ${MAX_MEMBER_ID} characters), such as 8b26b478d5df44f2a662bdf83bd54533`);
  }
  for (const key of ["region", "cloud"]) {
    const value = inputs[key];
    if (value !== undefined && !isUnknown(value) && (typeof value !== "string" || value === "")) fail(key, `${key} must be a non-empty string: set it to text or leave it out`);
  }
  const status = inputs["status"];
  if (kind === "ImageMemberAccept" && !isUnknown(status) && (typeof status !== "string" || !(MEMBER_STATUSES as readonly string[]).includes(status))) {
    fail("status", `status ${JSON.stringify(status)} is not an answer: use one of ${MEMBER_STATUSES.join(", ")} (default accepted)`);
  }
  if (capabilities !== null && capabilities.members !== true) {
    fail("imageId", `${capabilities.label} has no image members with an owner's offer and a member's answer, which ${kind} manages: use glance:apiVersion v2 (or a cloud whose image API is Glance v2)`);
  }
  return { inputs, failures };
}

/**
 * The diff of either resource: a change of image, member, region or cloud is another membership (or
 * another project answering) and replaces it, deleting first (Glance holds one membership per image and
 * project); `status` (ImageMemberAccept) is updated in place. An unset `memberId` of ImageMemberAccept is
 * the project resolved at create: no change while unset.
 */
export function planMemberDiff(olds: Record<string, unknown>, news: Record<string, unknown>, inPlace: readonly string[]): { result: DiffResult; reasons: string[]; updates: string[] } {
  const replaces: string[] = [];
  const reasons: string[] = [];
  for (const key of MEMBER_REPLACE) {
    if (key === "memberId" && news[key] === undefined && olds["memberIdDeclared"] === false) continue;
    if (!same(olds[key], news[key])) {
      replaces.push(key);
      reasons.push(`${key} changed (${show(olds[key])} → ${show(news[key])})`);
    }
  }
  const updates = inPlace.filter((key) => !same(olds[key], news[key]));
  return { result: { changes: replaces.length + updates.length > 0, replaces, deleteBeforeReplace: true }, reasons, updates };
}

function show(value: unknown): string {
  return value === undefined ? "unset" : JSON.stringify(value);
}
