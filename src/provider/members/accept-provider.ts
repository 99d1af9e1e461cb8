import type * as dynamic from "@pulumi/pulumi/dynamic";
import { acceptCalls } from "./accept-calls";
import type { AcceptInputs, AcceptOutputs } from "./member-inputs";

/**
 * The dynamic provider behind `ImageMemberAccept` (what it does: accept-calls.ts). Its methods only hand over, so the
 * text Pulumi serializes into each resource's state and sends with every call `require`s that module by
 * name instead of carrying its code (as ImageProvider in ../provider.ts).
 */
export class ImageMemberAcceptProvider implements dynamic.ResourceProvider<AcceptInputs, AcceptOutputs> {
  configure(req: dynamic.ConfigureRequest): Promise<void> {
    return acceptCalls.configure(req);
  }

  check(olds: AcceptInputs, news: AcceptInputs): Promise<dynamic.CheckResult<AcceptInputs>> {
    return acceptCalls.check(olds, news);
  }

  diff(id: string, olds: AcceptOutputs, news: AcceptInputs): Promise<dynamic.DiffResult> {
    return acceptCalls.diff(id, olds, news);
  }

  create(inputs: AcceptInputs): Promise<dynamic.CreateResult<AcceptOutputs>> {
    return acceptCalls.create(inputs);
  }

  read(id: string, props?: AcceptOutputs): Promise<dynamic.ReadResult<AcceptOutputs>> {
    return acceptCalls.read(id, props);
  }

  update(id: string, olds: AcceptOutputs, news: AcceptInputs): Promise<dynamic.UpdateResult<AcceptOutputs>> {
    return acceptCalls.update(id, olds, news);
  }

  delete(id: string, props: AcceptOutputs): Promise<void> {
    return acceptCalls.delete(id, props);
  }
}
