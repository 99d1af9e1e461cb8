import type * as dynamic from "@pulumi/pulumi/dynamic";
import { imageCalls } from "./image-calls";
import type { ImageInputs, ImageOutputs } from "./inputs";

/**
 * The dynamic provider behind {@link Image}. It holds no state and no credentials: every method resolves
 * settings and builds its HTTP client at run time, so nothing secret is serialized with it.
 *
 * Pulumi serializes this object into every resource's state (`__provider`, in its inputs and its outputs)
 * and the engine sends it with every call. Its methods therefore only hand over to {@link imageCalls}: the
 * serialized form `require`s that module by name and carries no code of its own (3.4 KB per resource
 * where it carried every method's code, ~19 KB, twice).
 */
export class ImageProvider implements dynamic.ResourceProvider<ImageInputs, ImageOutputs> {
  configure(req: dynamic.ConfigureRequest): Promise<void> {
    return imageCalls.configure(req);
  }

  check(olds: ImageInputs, news: ImageInputs): Promise<dynamic.CheckResult<ImageInputs>> {
    return imageCalls.check(olds, news);
  }

  diff(id: string, olds: ImageOutputs, news: ImageInputs): Promise<dynamic.DiffResult> {
    return imageCalls.diff(id, olds, news);
  }

  create(inputs: ImageInputs): Promise<dynamic.CreateResult<ImageOutputs>> {
    return imageCalls.create(inputs);
  }

  read(id: string, props?: ImageOutputs): Promise<dynamic.ReadResult<ImageOutputs>> {
    return imageCalls.read(id, props);
  }

  update(id: string, olds: ImageOutputs, news: ImageInputs): Promise<dynamic.UpdateResult<ImageOutputs>> {
    return imageCalls.update(id, olds, news);
  }

  delete(id: string, props: ImageOutputs): Promise<void> {
    return imageCalls.delete(id, props);
  }
}
