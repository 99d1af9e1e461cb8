import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { DialectCapabilities } from "../dialects/dialect";
import { AuthError, ImageSourceError, InputError, isNotFound } from "../errors";
import { checkSourceFile } from "../source/file-source";
import { checkInputs, type AllowedFormats } from "./check";
import { adoptImage } from "./adopt";
import { createImage } from "./create";
import { sourceImageReader } from "./glance-download";
import { deleteImage, ownsProtection } from "./delete";
import { planDiff } from "./diff";
import { describeChoice, resolveImportMethod } from "./import-choice";
import { declaresGlanceImage } from "./glance-image-check";
import { compareEndpoint, SAME_ENDPOINT } from "./endpoint-change";
import { allowedFormats } from "./format-cache";
import type { ImageInputs, ImageOutputs } from "./inputs";
import { toOutputs } from "./outputs";
import { isReference, referenceOutputs } from "./reference";
import { refreshedInputs } from "./refreshed-inputs";
import { configuredCapabilities } from "./session";
import { withSession } from "./with-session";
import { reportFailures } from "./report";
import { useStackConfig } from "./settings";
import { compareSource } from "./source-change";
import { revalidateSource } from "./source-revalidate";
import { updateImage } from "./update";
import { isUnknown } from "./unknown";

/**
 * What the methods of the provider behind `Image` (provider.ts) do. It holds no state and no credentials: every method
 * resolves settings and builds its HTTP client at run time. Only {@link imageCalls} is used, through
 * provider.ts, whose functions hand over to it (state written by earlier builds `require`s this module by name).
 */
class ImageCalls implements dynamic.ResourceProvider<ImageInputs, ImageOutputs> {
  async configure(req: dynamic.ConfigureRequest): Promise<void> {
    useStackConfig(req.config);
  }

  async check(_olds: ImageInputs, raw: ImageInputs): Promise<dynamic.CheckResult<ImageInputs>> {
    const news = raw as unknown as Record<string, unknown>;
    // An unknown region (preview) names no endpoint yet: the formats are checked again at apply, and what the
    // API can hold is known only when glance:apiVersion names one (not auto).
    const formatsUnknown = isUnknown(news["diskFormat"]) && isUnknown(news["containerFormat"]);
    let formats: AllowedFormats | undefined;
    let knownStores: readonly string[] | undefined;
    const wantsStores = Array.isArray(news["stores"]) && !isUnknown(news["stores"]);
    const auto = news["importMethod"] === "auto" && news["source"] !== undefined;
    // glance-download is refused at preview where /v2/info/import does not list it.
    const copies = news["importMethod"] === "glance-download" || (news["importMethod"] === undefined && declaresGlanceImage(news["source"]));
    let offered: readonly string[] | undefined;
    const cloud = typeof news["cloud"] === "string" && !isUnknown(news["cloud"]) ? { cloud: news["cloud"] } : {};
    let capabilities: DialectCapabilities | null = isUnknown(news["cloud"]) ? null : (configuredCapabilities(cloud) ?? null);
    if (!isUnknown(news["region"]) && !isUnknown(news["cloud"]) && (!formatsUnknown || capabilities === null || wantsStores || auto || copies)) {
      try {
        await withSession(news, async (s) => {
          capabilities = s.dialect.capabilities;
          if (!formatsUnknown) formats = await allowedFormats(s.dialect);
          if ((wantsStores || news["allStores"] === true) && s.dialect.storeIds !== undefined) knownStores = await s.dialect.storeIds();
          if (auto || copies) offered = await s.dialect.importMethods();
        });
      } catch (error) {
        // A named entry that is missing or incomplete is the `cloud` input's fault: say so on that field.
        if (!(error instanceof AuthError) || cloud.cloud === undefined) throw error;
        return { inputs: news as unknown as ImageInputs, failures: [{ property: "cloud", reason: error.message }] };
      }
    }
    const { inputs, failures } = checkInputs(news, formats, capabilities, knownStores, offered);
    // The preview says what `auto` will do (the create asks the cloud again).
    if (failures.length === 0 && auto && offered !== undefined && capabilities !== null && !isUnknown(inputs.name)) {
      const stores = inputs.allStores === true ? (knownStores?.length ?? 0) : (inputs.stores?.length ?? 0);
      console.log(describeChoice(inputs.name, resolveImportMethod(inputs, capabilities, offered, stores), offered));
    }
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

  async diff(id: string, olds: ImageOutputs, news: ImageInputs): Promise<dynamic.DiffResult> {
    const compared = await compareSource({ source: olds.source, fingerprint: olds.sourceFingerprint }, news.source);
    const verdict = await revalidateSource(compared, olds.sourceFingerprint, news.source, `glance image "${olds.name}" (${id})`);
    // Where the current settings would put the image; an unknown region is compared again at apply, once known.
    // Another cloud replaces the image anyway (diff.ts), and its identity may not even see the old one.
    const moved = isUnknown(news.region) || isUnknown(news.cloud) || olds.cloud !== news.cloud ? SAME_ENDPOINT : await withSession(news, (session) => compareEndpoint(session, id, olds));
    const { result, reasons, updates } = planDiff(olds, news, verdict, moved);
    if (reasons.length > 0) console.log(`glance image "${olds.name}" (${id}) will be replaced: ${reasons.join("; ")}`);
    else if (updates.length > 0) console.log(`glance image "${olds.name}" (${id}) will be updated in place: ${updates.join(", ")} changed`);
    if (reasons.length === 0 && moved.record && moved.reason !== undefined) console.log(`glance image "${olds.name}" (${id}): ${moved.reason}`);
    return result;
  }

  async create(inputs: ImageInputs): Promise<dynamic.CreateResult<ImageOutputs>> {
    return withSession(inputs, async (session) => {
      if (inputs.adopt !== undefined) {
        const adopted = await adoptImage(session.dialect, { ...inputs, adopt: inputs.adopt });
        const outs = toOutputs(adopted.image, inputs, { endpoint: session.endpoint, fingerprint: adopted.fingerprint, protectionOwned: adopted.protectionOwned, adopted: true });
        return { id: adopted.image.id, outs };
      }
      // source.glanceImage is read in its own region, with the same credentials (and clouds.yaml entry).
      const { image, fingerprint } = await createImage(session.dialect, inputs, { readSourceImage: sourceImageReader(inputs.cloud) });
      return { id: image.id, outs: toOutputs(image, inputs, { endpoint: session.endpoint, fingerprint, protectionOwned: inputs.protected === true }) };
    });
  }

  async read(id: string, props?: ImageOutputs): Promise<dynamic.ReadResult<ImageOutputs>> {
    if (props === undefined) throw new InputError("id", "pulumi import is not supported by dynamic providers (pulumi/pulumi#16175): use Image.get for a read-only reference, getImage for a lookup, or the adopt input to manage an existing image");
    // Image.get(name, id): a read-only reference at the configured endpoint. The engine sends no state for it; the
    // dynamic provider host (3.276) then hands read the properties the resource was constructed with.
    if (isReference(props)) {
      return withSession(props, async (session) => {
        try {
          return { id, props: referenceOutputs(await session.dialect.get(id), session.endpoint) };
        } catch (error) {
          // Not "gone" (`{}`): the host would hand the engine the requested id with no properties, the get would
          // succeed with every output undefined and dependents would be created from them. An unknown id fails it.
          if (isNotFound(error)) throw new InputError("id", `Image.get: no image ${id} at ${session.endpoint}: check the id, and that the image is visible to this project`);
          throw error;
        }
      });
    }
    // Read where the image lives (the endpoint in state), not where the settings point now: a 404 there
    // means gone, a failure to reach it is an error.
    return withSession(props, async (session) => {
      try {
        const image = await session.dialect.get(id);
        // Ownership of the protection is decided from the state before this refresh (state of an older
        // version has no record of it) and then recorded, never taken from what Glance shows.
        const outs = toOutputs(image, props, { endpoint: session.endpoint, fingerprint: props.sourceFingerprint, protectionOwned: ownsProtection(props, image) });
        // Returned inputs mirror Glance, so the engine's ignoreChanges (old inputs copied into the new) holds.
        // (The SDK types `inputs` as the outputs type; the host stores whatever object it gets as the inputs.)
        return { id, props: outs, inputs: refreshedInputs(outs) as unknown as ImageOutputs };
      } catch (error) {
        if (isNotFound(error)) return {};
        throw error;
      }
    }, props.endpoint);
  }

  async update(id: string, olds: ImageOutputs, news: ImageInputs): Promise<dynamic.UpdateResult<ImageOutputs>> {
    return withSession(news, async (session) => {
      const { image, fingerprint } = await updateImage(session.dialect, id, olds, news);
      const protectionOwned = news.protected ?? olds.protectionOwned ?? false;
      return { outs: toOutputs(image, news, { endpoint: session.endpoint, fingerprint, protectionOwned, adopted: olds.adopted }) };
    });
  }

  async delete(id: string, props: ImageOutputs): Promise<void> {
    // An adopted image existed before the program: it stays in Glance unless the program says otherwise.
    if (props.adopted === true && props.deleteAdopted !== true) {
      console.log(`glance image "${props.name}" (${id}) was adopted: left in Glance (set deleteAdopted: true to delete it with the resource)`);
      return;
    }
    await withSession(props, (session) => deleteImage(session.dialect, id, props), props.endpoint);
  }
}

// Every failure leaving the provider is a GlanceError, shown once, without a stack trace (see report.ts).
reportFailures(ImageCalls, ["configure", "check", "diff", "create", "read", "update", "delete"]);

// STATE CONTRACT: the state written by earlier builds holds `require("pulumi-glance/dist/provider/image-calls.js").imageCalls.<method>` (the
// serialized provider; test/package/state-contract.test.ts). Renaming or moving this module, this export or
// any of its methods breaks refresh and destroy of every existing stack: keep them, or keep a forwarder.
/** The one instance the provider's methods hand over to. */
export const imageCalls = new ImageCalls();
