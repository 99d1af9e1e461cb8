import type * as dynamic from "@pulumi/pulumi/dynamic";
import { acceptCalls } from "./accept-calls";
import type { AcceptInputs, AcceptOutputs } from "./member-inputs";

/*
 * The dynamic provider behind `ImageMemberAccept` is this module itself (what it does: accept-calls.ts): its
 * exports are serialized into each resource's state as a `require` of this module by name, as ../provider.ts
 * explains. The path and these export names are a state contract (test/package/state-contract.test.ts).
 */

export function configure(req: dynamic.ConfigureRequest): Promise<void> {
  return acceptCalls.configure(req);
}

export function check(olds: AcceptInputs, news: AcceptInputs): Promise<dynamic.CheckResult<AcceptInputs>> {
  return acceptCalls.check(olds, news);
}

export function diff(id: string, olds: AcceptOutputs, news: AcceptInputs): Promise<dynamic.DiffResult> {
  return acceptCalls.diff(id, olds, news);
}

export function create(inputs: AcceptInputs): Promise<dynamic.CreateResult<AcceptOutputs>> {
  return acceptCalls.create(inputs);
}

export function read(id: string, props?: AcceptOutputs): Promise<dynamic.ReadResult<AcceptOutputs>> {
  return acceptCalls.read(id, props);
}

export function update(id: string, olds: AcceptOutputs, news: AcceptInputs): Promise<dynamic.UpdateResult<AcceptOutputs>> {
  return acceptCalls.update(id, olds, news);
}

function remove(id: string, props: AcceptOutputs): Promise<void> {
  return acceptCalls.delete(id, props);
}

/** `delete` is a reserved word: the export is named as the engine calls it. */
export { remove as delete };
