import { afterEach } from "vitest";
import { VendorHtaiyunDialect } from "../../src/dialects/vendor-htaiyun/dialect";
import { EMULATOR_CREDENTIALS, startVendorEmulator, type EmulatorOptions, type VendorEmulator } from "./vendor-emulator/server";

// The vendor dialect's test fixture: an emulator and a dialect configured for it, both closed after each test.
let running: VendorEmulator[] = [];
let dialects: VendorHtaiyunDialect[] = [];
afterEach(async () => {
  await Promise.all(dialects.map((d) => d.close()));
  await Promise.all(running.map((e) => e.close()));
  running = [];
  dialects = [];
});

export async function setup(options: EmulatorOptions = {}, credentials: Partial<Record<keyof typeof EMULATOR_CREDENTIALS, string>> = {}): Promise<{ e: VendorEmulator; d: VendorHtaiyunDialect }> {
  const e = await startVendorEmulator(options);
  running.push(e);
  const d = new VendorHtaiyunDialect({
    endpoint: e.url,
    vendor: { ...EMULATOR_CREDENTIALS, ...credentials, bodyEncoding: e.profile.bodyEncoding === "json" ? "json" : "form" },
    retry: { minDelayMs: 1, maxDelayMs: 5 },
  });
  dialects.push(d);
  return { e, d };
}

export const FIELDS = { name: "ls-junit", diskFormat: "qcow2", containerFormat: "bare", properties: { description: "junit测试-可删除", pulumi_glance_create_key: "k" }, applicationNames: ["viewer", "QQ", "mysql"] };
export const ADDRESS = "http://files.example.invalid/cirros.qcow2";
export const signal = (): AbortSignal => AbortSignal.timeout(20_000);

export async function createVia(d: VendorHtaiyunDialect, id = "3a9c1e54-0d7b-4f0e-9c55-1f2a3b4c5d6e"): Promise<string> {
  await d.createRecord(id, FIELDS, "k", signal());
  await d.importFromUrl(id, ADDRESS, signal());
  const image = await d.waitUntilActive(id, { timeoutMs: 10_000, timeoutName: "createTimeoutSeconds" });
  return image.id;
}
