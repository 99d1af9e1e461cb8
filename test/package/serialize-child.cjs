// Runs in a plain `node` process inside a temp project where the packed pulumi-glance tarball is installed,
// so Node's CommonJS loader (not vitest's) resolves everything, as in `pulumi up`. It serializes the
// provider with Pulumi's real serializer, loads the text back the way the dynamic-provider host does,
// and runs a create against the real Glance. Prints one JSON line.
"use strict";
const Module = require("node:module");
const path = require("node:path");
const pulumi = require("@pulumi/pulumi");
// The provider is internal (not exported from the package root): reached by its deep path, as the
// dynamic-provider host reaches it through the serialized closure.
const { ImageProvider } = require("pulumi-glance/dist/provider/provider.js");

async function main() {
  const provider = new ImageProvider();
  const serialized = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
  // What @pulumi/pulumi/cmd/dynamic-provider does: requireFromString(text).handler()
  const mod = new Module(path.join(process.cwd(), "provider.js"), module);
  mod.filename = path.join(process.cwd(), "provider.js");
  mod.paths = Module._nodeModulePaths(process.cwd());
  mod._compile(serialized.text, mod.filename);
  const loaded = mod.exports[serialized.exportName]();
  await loaded.configure({ config: { get: () => undefined, require: (k) => { throw new Error(k); } } });
  const checked = await loaded.check({}, { name: process.env.IMAGE_NAME, diskFormat: "raw" });
  if (checked.failures.length > 0) throw new Error(JSON.stringify(checked.failures));
  const created = await loaded.create(checked.inputs);
  process.stdout.write(JSON.stringify({ text: serialized.text, containsSecrets: serialized.containsSecrets, id: created.id, outs: created.outs }) + "\n");
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack || error) + "\n");
  process.exit(1);
});
