import { AuthError } from "../errors";

/**
 * The Keystone v3 base URL for an `OS_AUTH_URL` as people write it: `…/v3`, `…/v3/`, the unversioned
 * root (`https://keystone.example:5000`, devstack's `…/identity`) or a v2.0 URL, all become `…/v3`.
 */
export function identityV3Url(authUrl: string, origin = "the auth URL"): string {
  let url: URL;
  try {
    url = new URL(authUrl.trim());
  } catch {
    throw new AuthError(`${origin} "${authUrl}" is not a URL: set it to the Keystone endpoint, e.g. https://keystone.example:5000/v3`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new AuthError(`${origin} "${authUrl}" must be an http(s) URL, e.g. https://keystone.example:5000/v3`);
  }
  url.search = "";
  url.hash = "";
  const path = url.pathname.replace(/\/+$/, "");
  if (/\/v3$/.test(path)) url.pathname = path;
  else if (/\/v2\.0$/.test(path)) url.pathname = path.replace(/v2\.0$/, "v3");
  else url.pathname = `${path}/v3`;
  return url.toString();
}
