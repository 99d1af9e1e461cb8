import type { OperationName, Profile } from "../../../src/dialects/vendor-htaiyun/contract";
import { many, one, type Params } from "./inputs";
import { readImage, writtenImage, type Store, type StoredImage } from "./store";

export interface Handled {
  readonly status: number;
  readonly message: string;
  readonly result?: unknown;
  readonly rules: readonly string[];
}

/** Reads under `createdStatus=async` before an image is ACTIVED. */
export const ASYNC_READS = 2;

/** One documented operation on the store, after its headers and inputs were accepted. */
export function handle(op: OperationName, params: Params, pathId: string | undefined, profile: Profile, store: Store): Handled {
  if (op === "create") return create(params, profile, store);
  if (op === "list") return list(params, profile, store);
  const id = pathId ?? "";
  const image = store.images.get(id);
  if (image === undefined) {
    if (op === "delete" && store.deleted.has(id) && profile.deleteIsGet === "ok") return { status: 200, message: "OK", rules: ["delete.result L484-493", "deleteIsGet=ok"] };
    const again = op === "delete" && store.deleted.has(id) ? ["deleteIsGet=not-found"] : [];
    return { status: Number(profile.notFound), message: `image ${id} not found`, rules: [...again, `notFound=${profile.notFound}`] };
  }
  if (op === "read") {
    if (image.status !== "ACTIVED" && image.readsUntilActive > 0) {
      image.readsUntilActive -= 1;
      if (image.readsUntilActive === 0) image.status = "ACTIVED";
    }
    return { status: 200, message: "OK", result: readImage(image, profile), rules: ["read.result L206-289", `formatOutput=${profile.formatOutput}`, `visibilityFlags=${profile.visibilityFlags}`] };
  }
  if (op === "update") return update(image, params, profile, store);
  store.images.delete(id);
  store.deleted.add(id);
  return { status: 200, message: "OK", rules: ["delete.result L484-493"] };
}

function create(params: Params, profile: Profile, store: Store): Handled {
  const now = Date.now();
  const name = one(params, "name") ?? "";
  const image: StoredImage = {
    unique: store.newId(now),
    status: profile.createdStatus === "sync" ? "ACTIVED" : "SAVING",
    created: now,
    updated: now,
    name,
    // displayName: no input sets it (assumption-free choice of the emulator: the name)
    displayName: name,
    minLimit: 0,
    // the emulator never fetches imageAddress: it knows no size
    size: 0,
    minRam: 0,
    minDisk: 0,
    description: one(params, "description") ?? "",
    applicationNames: [...(many(params, "applicationNames") ?? [])],
    containerFormat: (one(params, "containerFormat") ?? "").toLowerCase(),
    diskFormat: (one(params, "diskFormat") ?? "").toLowerCase(),
    imageAddress: one(params, "imageAddress") ?? "",
    readsUntilActive: profile.createdStatus === "sync" ? 0 : ASYNC_READS,
  };
  store.images.set(image.unique, image);
  return { status: 200, message: "OK", result: writtenImage(image, store, profile), rules: ["create.result L69-89", `createdStatus=${profile.createdStatus}`, `uniqueType=${profile.uniqueType}`] };
}

function update(image: StoredImage, params: Params, profile: Profile, store: Store): Handled {
  const applications = many(params, "imageApplications");
  if (applications !== undefined) {
    const names = applications.map((id) => store.applicationName(id));
    const unknown = applications.find((_, i) => names[i] === undefined);
    if (unknown !== undefined) return { status: 400, message: `no image application ${unknown}`, rules: ["update.input.imageApplications L145-149", "applications=as-documented"] };
    image.applicationNames = names.filter((n): n is string => n !== undefined);
  }
  const name = one(params, "name");
  if (name !== undefined) image.name = name;
  const description = one(params, "description");
  if (description !== undefined) image.description = description;
  const minLimit = one(params, "minLimit");
  if (minLimit !== undefined) image.minLimit = Number(minLimit);
  image.updated = Math.max(Date.now(), image.updated + 1);
  return { status: 200, message: "OK", result: writtenImage(image, store, profile), rules: ["update.result L153-172", "updateSemantics=partial"] };
}

const ORDER_KEYS = { name: (i: StoredImage) => i.name, created: (i: StoredImage) => i.created, updated: (i: StoredImage) => i.updated } as const;

function list(params: Params, profile: Profile, store: Store): Handled {
  const keywords = one(params, "keywords");
  const status = one(params, "status") ?? "ALL_STATUS";
  const page = Number(one(params, "page") ?? "1");
  const offset = Number(one(params, "offset") ?? "20");
  const order = one(params, "order") as keyof typeof ORDER_KEYS | undefined;
  const asc = one(params, "asc") === "true";
  const matches = (text: string, word: string): boolean => (profile.keywords === "exact" ? text === word : text.includes(word));
  let all = [...store.images.values()].filter((i) => keywords === undefined || keywords === "" || matches(i.name, keywords) || matches(i.displayName, keywords));
  // statusVocabulary=mixed: the filter's ACTIVE selects the ACTIVED images
  if (status !== "ALL_STATUS") all = all.filter((i) => i.status === status || (status === "ACTIVE" && i.status === "ACTIVED"));
  if (order !== undefined) {
    const key = ORDER_KEYS[order];
    all.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0) * (asc ? 1 : -1));
  }
  const start = profile.paging === "skip" ? offset : (Math.max(page, 1) - 1) * offset;
  const size = profile.paging === "skip" ? 20 : offset;
  const entities = all.slice(start, start + size).map((i) => readImage(i, profile));
  const result = { total: all.length, hasPrevious: start > 0, hasNext: start + size < all.length, entities, links: [] };
  return { status: 200, message: "OK", result, rules: ["list.result L352-452", `paging=${profile.paging}`, `keywords=${profile.keywords}`] };
}
