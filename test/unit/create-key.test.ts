import { describe, expect, it } from "vitest";
import { hashKey } from "../../src/create-key";
import { checkInputs } from "../../src/provider/check";
import { engineAddress } from "../../src/provider/engine-watch";

describe("#11.4 create key", () => {
  it("#11.4 differs per stack, parent and name, is 32 hex digits and contains none of its parts", () => {
    const base = ["org", "proj", "dev", "", "pulumi-nodejs:dynamic/glance:Image", "disk"];
    const key = hashKey(base);
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    expect(hashKey([...base])).toBe(key);
    for (const i of [0, 1, 2, 3, 5]) {
      const other = [...base];
      other[i] = `${other[i] ?? ""}x`;
      expect(hashKey(other), `part ${i}`).not.toBe(key);
    }
  });

  it("#11.4 check accepts the internal createKey and refuses the marker as a user property", () => {
    const ok = checkInputs({ name: "a", diskFormat: "raw", createKey: "0123456789abcdef0123456789abcdef" }, undefined);
    expect(ok.failures).toEqual([]);
    expect(ok.inputs.createKey).toBe("0123456789abcdef0123456789abcdef");
    const bad = checkInputs({ name: "a", diskFormat: "raw", createKey: "x", properties: { pulumi_glance_create_key: "y" } }, undefined);
    expect(bad.failures.map((f) => f.property).sort()).toEqual(["createKey", 'properties["pulumi_glance_create_key"]']);
  });
});

describe("#11.14 engine watch", () => {
  it("#11.14 reads the engine address only inside the dynamic-provider host", () => {
    expect(engineAddress(["node", "/p/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js", "127.0.0.1:41463"])).toEqual({ host: "127.0.0.1", port: 41463 });
    expect(engineAddress(["node", "/p/node_modules/@pulumi/pulumi/cmd/dynamic-provider", "[::1]:5"])).toEqual({ host: "::1", port: 5 });
    expect(engineAddress(["node", "/usr/lib/vitest.mjs", "127.0.0.1:41463"])).toBeUndefined();
    expect(engineAddress(["node", "/p/cmd/dynamic-provider/index.js"])).toBeUndefined();
  });
});
