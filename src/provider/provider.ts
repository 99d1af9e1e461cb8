import type * as dynamic from "@pulumi/pulumi/dynamic";
import { ImageSourceError, InputError, isHttpStatus } from "../errors";
import { checkSourceFile } from "../source/file-source";
import { checkInputs } from "./check";
import { createImage } from "./create";
import { deleteImage } from "./delete";
import { planDiff } from "./diff";
import { allowedFormats } from "./format-cache";
import type { ImageInputs, ImageOutputs } from "./inputs";
import { toOutputs } from "./outputs";
import { openSession, type GlanceSession } from "./session";
import { reportFailures } from "./report";
import { useStackConfig } from "./settings";
import { compareSource } from "./source-change";
import { updateImage } from "./update";
import { isUnknown } from "./unknown";

/**
 * The dynamic provider behind {@link Image}. It holds no state and no credentials: every method
 * resolves settings and builds its HTTP client at run time, so nothing secret is serialized with it.
 */
export class ImageProvider implements dynamic.ResourceProvider<ImageInputs, ImageOutputs> {
  async configure(req: dynamic.ConfigureRequest): Promise<void> {
    useStackConfig(req.config);
  }

  async check(_olds: ImageInputs, raw: ImageInputs): Promise<dynamic.CheckResult<ImageInputs>> {
    const news = raw as unknown as Record<string, unknown>;
    const formats = isUnknown(news["diskFormat"]) && isUnknown(news["containerFormat"]) ? undefined : await withSession(news, (s) => allowedFormats(s.client));
    const { inputs, failures } = checkInputs(news, formats);
    const file = inputs.source?.file;
    if (failures.length === 0 && typeof file === "string" && !isUnknown(file)) {
      try {
        await checkSourceFile(file);
      } catch (error) {
        if (!(error instanceof ImageSourceError)) throw error;
        failures.push({ property: error.field, reason: error.detail });
      }
    }
    return { inputs, failures };
  }

  async diff(_id: string, olds: ImageOutputs, news: ImageInputs): Promise<dynamic.DiffResult> {
    const verdict = await compareSource({ source: olds.source, fingerprint: olds.sourceFingerprint }, news.source);
    const { result, reasons } = planDiff(olds, news, verdict);
    if (reasons.length > 0) console.log(`glance image "${olds.name}" (${_id}) will be replaced: ${reasons.join("; ")}`);
    return result;
  }

  async create(inputs: ImageInputs): Promise<dynamic.CreateResult<ImageOutputs>> {
    return withSession(inputs, async (session) => {
      const { image, fingerprint } = await createImage(session.client, inputs);
      return { id: image.id, outs: toOutputs(image, inputs, { endpoint: session.endpoint, fingerprint }) };
    });
  }

  async read(id: string, props?: ImageOutputs): Promise<dynamic.ReadResult<ImageOutputs>> {
    if (props === undefined) throw new InputError("id", "pulumi import and Image.get without inputs are not supported by dynamic providers (pulumi/pulumi#16175): declare the image in the program instead");
    return withSession(props, async (session) => {
      try {
        const image = await session.client.images.get(id);
        const outs = toOutputs(image, props, { endpoint: session.endpoint, fingerprint: props.sourceFingerprint });
        return { id, props: props.source === undefined ? outs : { ...outs, source: props.source } };
      } catch (error) {
        if (isHttpStatus(error, 404)) return {};
        throw error;
      }
    });
  }

  async update(id: string, olds: ImageOutputs, news: ImageInputs): Promise<dynamic.UpdateResult<ImageOutputs>> {
    return withSession(news, async (session) => {
      const { image, fingerprint } = await updateImage(session.client, id, olds, news);
      return { outs: toOutputs(image, news, { endpoint: session.endpoint, fingerprint }) };
    });
  }

  async delete(id: string, props: ImageOutputs): Promise<void> {
    await withSession(props, (session) => deleteImage(session.client, id, props));
  }
}

async function withSession<T>(inputs: { region?: unknown }, work: (session: GlanceSession) => Promise<T>): Promise<T> {
  const session = await openSession(typeof inputs.region === "string" ? inputs.region : undefined);
  try {
    return await work(session);
  } finally {
    await session.close();
  }
}

// Every failure leaving the provider is a GlanceError, shown once, without a stack trace (see report.ts).
reportFailures(ImageProvider, ["configure", "check", "diff", "create", "read", "update", "delete"]);
