import type * as dynamic from "@pulumi/pulumi/dynamic";
import { memberCalls } from "./member-calls";
import type { MemberInputs, MemberOutputs } from "./member-inputs";

/**
 * The dynamic provider behind `ImageMember` (what it does: member-calls.ts). Its methods only hand over, so the
 * text Pulumi serializes into each resource's state and sends with every call `require`s that module by
 * name instead of carrying its code (as ImageProvider in ../provider.ts).
 */
export class ImageMemberProvider implements dynamic.ResourceProvider<MemberInputs, MemberOutputs> {
  configure(req: dynamic.ConfigureRequest): Promise<void> {
    return memberCalls.configure(req);
  }

  check(olds: MemberInputs, news: MemberInputs): Promise<dynamic.CheckResult<MemberInputs>> {
    return memberCalls.check(olds, news);
  }

  diff(id: string, olds: MemberOutputs, news: MemberInputs): Promise<dynamic.DiffResult> {
    return memberCalls.diff(id, olds, news);
  }

  create(inputs: MemberInputs): Promise<dynamic.CreateResult<MemberOutputs>> {
    return memberCalls.create(inputs);
  }

  read(id: string, props?: MemberOutputs): Promise<dynamic.ReadResult<MemberOutputs>> {
    return memberCalls.read(id, props);
  }

  delete(id: string, props: MemberOutputs): Promise<void> {
    return memberCalls.delete(id, props);
  }
}
