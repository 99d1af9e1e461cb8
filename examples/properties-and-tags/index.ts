import * as pulumi from "@pulumi/pulumi";
import { Image } from "pulumi-glance";

const config = new pulumi.Config();

const image = new Image("catalogue-entry", {
  name: config.get("imageName") ?? "catalogue-entry",
  diskFormat: "qcow2",
  visibility: "private",
  tags: config.getObject<string[]>("tags") ?? ["base", "hardened"],
  properties: config.getObject<Record<string, string>>("properties") ?? { hw_disk_bus: "virtio", hw_vif_model: "virtio" },
  osDistro: "ubuntu",
  osVersion: "24.04",
  osType: "linux",
  hypervisorType: "qemu",
  minRamMb: 512,
});

export const imageId = image.id;
export const tags = image.tags;
export const properties = image.properties;
