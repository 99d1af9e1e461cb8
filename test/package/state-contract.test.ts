/**
 * The state contract: Pulumi serializes each provider into every resource's state. Today the provider is
 * a module whose exports are its methods, serialized as a `require` of that module by name (`PROVIDERS`);
 * state written by earlier builds holds a closure that `require`s the calls module by name and calls
 * `<export>.<method>` (`CALLS`). test/package/serialization shows today's text. Renaming or moving one of
 * these modules, exports or methods breaks refresh and destroy of every existing stack. The paths are
 * resolved by the package's name (Node's self-reference through package.json "exports", as an installed
 * package is), from the built dist/.
 */
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(__dirname, "../..");
const byName = createRequire(resolve(root, "package.json"));

const IMAGE = ["configure", "check", "diff", "create", "read", "update", "delete"];
const MEMBER = ["configure", "check", "diff", "create", "read", "delete"];

/** Today's providers: the module itself is the provider (its exports are exactly its methods). */
const PROVIDERS = [
  { path: "pulumi-glance/dist/provider/provider.js", methods: IMAGE },
  { path: "pulumi-glance/dist/provider/members/member-provider.js", methods: MEMBER },
  { path: "pulumi-glance/dist/provider/members/accept-provider.js", methods: IMAGE },
] as const;

/** What state written by earlier builds requires: `<name>.<method>` of these modules. */
const CALLS = [
  { path: "pulumi-glance/dist/provider/image-calls.js", name: "imageCalls", methods: IMAGE },
  { path: "pulumi-glance/dist/provider/members/member-calls.js", name: "memberCalls", methods: MEMBER },
  { path: "pulumi-glance/dist/provider/members/accept-calls.js", name: "acceptCalls", methods: IMAGE },
] as const;

describe("the modules serialized providers require by name", () => {
  it.each(PROVIDERS)("$path is a provider: its exports are functions, one per method", ({ path, methods }) => {
    const mod = byName(path) as Record<string, unknown>;
    const exported = Object.keys(mod).filter((k) => k !== "__esModule").sort();
    expect(exported).toEqual([...methods].sort());
    for (const method of methods) expect(typeof mod[method], method).toBe("function");
  });

  it.each(CALLS)("$path (earlier state) exports $name with every method that state calls", ({ path, name, methods }) => {
    const calls = (byName(path) as Record<string, Record<string, unknown> | undefined>)[name];
    expect(calls).toBeDefined();
    for (const method of methods) expect(typeof calls?.[method], `${name}.${method}`).toBe("function");
  });
});
