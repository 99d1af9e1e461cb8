// Direct Glance REST calls the bench itself makes (cleanup, checks, Glance's own web-download), via fetch.

const JSON_HEADERS = { accept: "application/json", "content-type": "application/json" };

/** GET /v2/images/{id}. */
export async function getImage(glance, id) {
  const res = await fetch(`${glance}/v2/images/${id}`, { headers: { accept: "application/json" } });
  if (!res.ok) throw new Error(`GET image ${id}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** DELETE /v2/images/{id}; a missing image is fine. */
export async function deleteImage(glance, id) {
  const res = await fetch(`${glance}/v2/images/${id}`, { method: "DELETE", headers: { accept: "application/json" } });
  await res.arrayBuffer();
  if (!res.ok && res.status !== 404) throw new Error(`DELETE image ${id}: ${res.status}`);
}

/** Deletes every image whose name starts with `prefix`; resolves with how many. */
export async function deleteNamed(glance, prefix) {
  let ids = [];
  let next = `${glance}/v2/images?limit=1000`;
  while (next) {
    const res = await fetch(next, { headers: { accept: "application/json" } });
    const page = await res.json();
    ids = ids.concat(page.images.filter((i) => String(i.name ?? "").startsWith(prefix)).map((i) => i.id));
    next = page.next ? new URL(page.next, glance).toString() : undefined;
  }
  for (const id of ids) await deleteImage(glance, id);
  return ids.length;
}

/** POST /v2/images (raw/bare, private) and resolves with the new image's id. */
export async function createImage(glance, name) {
  const res = await fetch(`${glance}/v2/images`, {
    method: "POST",
    headers: JSON_HEADERS,
    body: JSON.stringify({ name, disk_format: "raw", container_format: "bare", visibility: "private" }),
  });
  if (res.status !== 201) throw new Error(`POST image: ${res.status} ${await res.text()}`);
  return (await res.json()).id;
}

/**
 * Glance's own web-download with nothing of the provider: POST /v2/images, POST /import, then GET every
 * `pollMs` until active. Resolves with the image.
 */
export async function webDownload(glance, name, uri, pollMs = 100) {
  const id = await createImage(glance, name);
  const res = await fetch(`${glance}/v2/images/${id}/import`, {
    method: "POST",
    headers: JSON_HEADERS,
    body: JSON.stringify({ method: { name: "web-download", uri } }),
  });
  if (res.status !== 202) throw new Error(`POST import: ${res.status} ${await res.text()}`);
  for (;;) {
    const image = await getImage(glance, id);
    if (image.status === "active") return image;
    if (["killed", "deleted"].includes(image.status) || image.os_glance_failed_import) throw new Error(`web-download of ${id} failed: ${image.status}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
