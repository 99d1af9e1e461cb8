import type * as dynamic from "@pulumi/pulumi/dynamic";
import { memberCalls } from "./member-calls";
import type { MemberInputs, MemberOutputs } from "./member-inputs";

/*
 * The dynamic provider behind `ImageMember` is this module itself (what it does: member-calls.ts): its exports
 * are serialized into each resource's state as a `require` of this module by name, as ../provider.ts explains.
 * The path and these export names are a state contract (test/package/state-contract.test.ts).
 */

export function configure(req: dynamic.ConfigureRequest): Promise<void> {
  return memberCalls.configure(req);
}

export function check(olds: MemberInputs, news: MemberInputs): Promise<dynamic.CheckResult<MemberInputs>> {
  return memberCalls.check(olds, news);
}

export function diff(id: string, olds: MemberOutputs, news: MemberInputs): Promise<dynamic.DiffResult> {
  return memberCalls.diff(id, olds, news);
}

export function create(inputs: MemberInputs): Promise<dynamic.CreateResult<MemberOutputs>> {
  return memberCalls.create(inputs);
}

export function read(id: string, props?: MemberOutputs): Promise<dynamic.ReadResult<MemberOutputs>> {
  return memberCalls.read(id, props);
}

function remove(id: string, props: MemberOutputs): Promise<void> {
  return memberCalls.delete(id, props);
}

/** `delete` is a reserved word: the export is named as the engine calls it. */
export { remove as delete };
