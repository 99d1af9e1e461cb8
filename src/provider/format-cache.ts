import type { AllowedFormats, ImageDialect } from "../dialects/dialect";

const cache = new Map<string, Promise<AllowedFormats>>();

/** The disk and container formats the deployment allows (the dialect asks it), read once per endpoint, API and process. */
export function allowedFormats(dialect: ImageDialect): Promise<AllowedFormats> {
  const key = `${dialect.api} ${dialect.endpoint}`;
  let pending = cache.get(key);
  if (pending === undefined) {
    pending = dialect.allowedFormats();
    pending.catch(() => cache.delete(key));
    cache.set(key, pending);
  }
  return pending;
}
