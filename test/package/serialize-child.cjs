// Runs in a plain `node` process inside a temp project where the packed pulumi-glance tarball is installed,
// so Node's CommonJS loader (not vitest's) resolves everything, as in `pulumi up`. It serializes the
// provider with Pulumi's real serializer, loads the text back the way the dynamic-provider host does,
// and runs a create, a read and a delete against the real Glance. The member and accept providers are
// serialized too (their texts are checked; their calls need a second project). Prints one JSON line.
"use strict";
const fs = require("node:fs");
const Module = require("node:module");
const path = require("node:path");
const pulumi = require("@pulumi/pulumi");
// The provider is internal (not exported from the package root): reached by its deep path, as the
// dynamic-provider host reaches it through the serialized closure.
// Each provider is a module whose exports are its methods (what Image, ImageMember, ImageMemberAccept pass).
const imageProvider = require("pulumi-glance/dist/provider/provider.js");
const memberProvider = require("pulumi-glance/dist/provider/members/member-provider.js");
const acceptProvider = require("pulumi-glance/dist/provider/members/accept-provider.js");

/** What @pulumi/pulumi/cmd/dynamic-provider does with a serialized provider: requireFromString(text).handler() */
function load({ text, exportName }) {
  const mod = new Module(path.join(process.cwd(), "provider.js"), module);
  mod.filename = path.join(process.cwd(), "provider.js");
  mod.paths = Module._nodeModulePaths(process.cwd());
  mod._compile(text, mod.filename);
  return mod.exports[exportName]();
}

/** Serializes `provider` as Pulumi does for a resource's state. */
async function serialize(provider) {
  return pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
}

async function main() {
  const serialized = await serialize(imageProvider);
  const loaded = load(serialized);
  await loaded.configure({ config: { get: () => undefined, require: (k) => { throw new Error(k); } } });
  const checked = await loaded.check({}, { name: process.env.IMAGE_NAME, diskFormat: "raw" });
  if (checked.failures.length > 0) throw new Error(JSON.stringify(checked.failures));
  const created = await loaded.create(checked.inputs);
  // What refresh and destroy call on the provider deserialized from state.
  const read = await loaded.read(created.id, created.outs);
  await loaded.delete(created.id, read.props);
  // State written by earlier builds (the calls-module form, recorded from a real state): refresh and
  // destroy of an image run the installed package's code through it.
  const older = load(JSON.parse(fs.readFileSync(path.join(process.cwd(), "state-provider-calls-form.json"), "utf8")));
  const second = await loaded.create((await loaded.check({}, { name: `${process.env.IMAGE_NAME}-older`, diskFormat: "raw" })).inputs);
  const olderRead = await older.read(second.id, second.outs);
  await older.delete(second.id, olderRead.props);
  const member = await serialize(memberProvider);
  const accept = await serialize(acceptProvider);
  process.stdout.write(
    JSON.stringify({
      text: serialized.text,
      containsSecrets: serialized.containsSecrets,
      id: created.id,
      outs: created.outs,
      read,
      older: { id: second.id, read: olderRead },
      members: { member: { text: member.text, containsSecrets: member.containsSecrets }, accept: { text: accept.text, containsSecrets: accept.containsSecrets } },
    }) + "\n",
  );
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack || error) + "\n");
  process.exit(1);
});
