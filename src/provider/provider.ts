import type * as dynamic from "@pulumi/pulumi/dynamic";
import { imageCalls } from "./image-calls";
import type { ImageInputs, ImageOutputs } from "./inputs";

/*
 * The dynamic provider behind {@link Image} is this module itself: `Image` hands Pulumi the module's exports
 * (`import * as provider`), whose functions are the provider's methods. It holds no state and no credentials:
 * every method resolves settings and builds its HTTP client at run time, so nothing secret is serialized.
 *
 * Pulumi serializes the provider into every resource's state (`__provider`, in its inputs and its outputs) and
 * the engine sends it with every call. A module's exports are serialized as a `require` of the module by name
 * (`pulumi-glance/dist/provider/provider.js`): ~0.3 KB per copy, where an object with methods was serialized
 * method by method (3.4 KB, each handing over to `imageCalls`; ~19 KB when it carried the code), and the
 * engine rewrites every resource's state at each step of an update (bench/analysis-notes.md, scale).
 * The path and these export names are a state contract (test/package/state-contract.test.ts).
 */

/** The provider as a value: this module's exports (a type only: nothing more is exported at run time). */
export type ImageProvider = typeof import("./provider");

export function configure(req: dynamic.ConfigureRequest): Promise<void> {
  return imageCalls.configure(req);
}

export function check(olds: ImageInputs, news: ImageInputs): Promise<dynamic.CheckResult<ImageInputs>> {
  return imageCalls.check(olds, news);
}

export function diff(id: string, olds: ImageOutputs, news: ImageInputs): Promise<dynamic.DiffResult> {
  return imageCalls.diff(id, olds, news);
}

export function create(inputs: ImageInputs): Promise<dynamic.CreateResult<ImageOutputs>> {
  return imageCalls.create(inputs);
}

export function read(id: string, props?: ImageOutputs): Promise<dynamic.ReadResult<ImageOutputs>> {
  return imageCalls.read(id, props);
}

export function update(id: string, olds: ImageOutputs, news: ImageInputs): Promise<dynamic.UpdateResult<ImageOutputs>> {
  return imageCalls.update(id, olds, news);
}

function remove(id: string, props: ImageOutputs): Promise<void> {
  return imageCalls.delete(id, props);
}

/** `delete` is a reserved word: the export is named as the engine calls it. */
export { remove as delete };
