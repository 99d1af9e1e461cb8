/**
 * The state contract: Pulumi serializes each provider into every resource's state as a closure that
 * `require`s the package's calls module by name and calls `<export>.<method>` (test/package/serialization
 * shows the text). Renaming or moving one of these modules, exports or methods breaks refresh and destroy
 * of every existing stack. The paths are resolved by the package's name (Node's self-reference through
 * package.json "exports", as an installed package is), from the built dist/.
 */
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(__dirname, "../..");
const byName = createRequire(resolve(root, "package.json"));

const CONTRACT = [
  { path: "pulumi-glance/dist/provider/image-calls.js", name: "imageCalls", provider: ["pulumi-glance/dist/provider/provider.js", "ImageProvider"], methods: ["configure", "check", "diff", "create", "read", "update", "delete"] },
  { path: "pulumi-glance/dist/provider/members/member-calls.js", name: "memberCalls", provider: ["pulumi-glance/dist/provider/members/member-provider.js", "ImageMemberProvider"], methods: ["configure", "check", "diff", "create", "read", "delete"] },
  { path: "pulumi-glance/dist/provider/members/accept-calls.js", name: "acceptCalls", provider: ["pulumi-glance/dist/provider/members/accept-provider.js", "ImageMemberAcceptProvider"], methods: ["configure", "check", "diff", "create", "read", "update", "delete"] },
] as const;

describe("the modules serialized providers require by name", () => {
  it.each(CONTRACT)("$path exports $name with every method state calls", ({ path, name, methods }) => {
    const calls = (byName(path) as Record<string, Record<string, unknown> | undefined>)[name];
    expect(calls).toBeDefined();
    for (const method of methods) expect(typeof calls?.[method], `${name}.${method}`).toBe("function");
  });

  it.each(CONTRACT)("$name has a method for each of its provider's methods (a method added to the provider is in the contract too)", ({ path, name, provider, methods }) => {
    const [providerPath, className] = provider;
    const cls = (byName(providerPath) as Record<string, { prototype: object } | undefined>)[className];
    const own = Object.getOwnPropertyNames(cls?.prototype ?? {}).filter((m) => m !== "constructor").sort();
    expect(own).toEqual([...methods].sort());
    const calls = (byName(path) as Record<string, Record<string, unknown>>)[name] ?? {};
    expect(own.filter((m) => typeof calls[m] !== "function")).toEqual([]);
  });
});
