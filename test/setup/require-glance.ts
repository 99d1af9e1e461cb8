/**
 * Integration and end-to-end suites run against the real Glance that `scripts/test.sh` starts. Without
 * it they fail here, loudly, instead of skipping.
 */
export default async function requireGlance(): Promise<void> {
  const url = process.env["GLANCE_URL"];
  if (url === undefined || url === "") {
    throw new Error("GLANCE_URL is not set: run the suites through `npm test` (scripts/test.sh starts a local Glance), or start one with `eval \"$(bash scripts/glance-local.sh start)\"`");
  }
  const res = await fetch(new URL("/healthcheck", url));
  if (!res.ok) throw new Error(`Glance at ${url} is not healthy: /healthcheck answered ${res.status}`);
}
