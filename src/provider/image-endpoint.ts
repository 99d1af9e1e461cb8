import { AuthError } from "../errors";

/**
 * An image endpoint as given (settings, the service catalog, state), checked to be an absolute http(s)
 * URL before any client is built on it: otherwise the transport's `new URL` would fail with a raw
 * ERR_INVALID_URL ("not a url", "http://[bad/"), or take `glance:9292` as a URL of scheme `glance:`. The
 * {@link AuthError} names where the value came from, as the Keystone auth URL's check does.
 */
export function checkedEndpoint(value: string, origin: string): string {
  const text = value.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new AuthError(`${origin} "${value}" is not a URL: set it to the image endpoint, e.g. https://glance.example:9292`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new AuthError(`${origin} "${value}" must be an http(s) URL, e.g. https://glance.example:9292 (not ${url.protocol.replace(/:$/, "")}:…)`);
  }
  return text;
}
