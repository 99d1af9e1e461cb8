/**
 * Extracts the human message from an OpenStack error body: Glance's JSON (`{"message": "…<br /><br />…"}`),
 * Keystone's (`{"error": {"message": "…"}}`), or an HTML/plain-text page. Returns at most 1,000 characters.
 */
export function extractServerMessage(body: string, contentType: string | undefined): string | undefined {
  const text = body.trim();
  if (text === "") return undefined;
  if (contentType?.includes("json") === true || text.startsWith("{")) {
    try {
      const parsed: unknown = JSON.parse(text);
      const message = findMessage(parsed);
      if (message !== undefined) return clean(message);
    } catch {
      // not JSON after all: fall through to the text forms
    }
  }
  if (/<html|<body|<h1/i.test(text)) {
    const withoutTitle = text.replace(/<title>[\s\S]*?<\/title>/gi, "").replace(/<h1>[\s\S]*?<\/h1>/gi, "");
    return clean(withoutTitle);
  }
  return clean(text);
}

function findMessage(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const record = value as Record<string, unknown>;
  if (typeof record["message"] === "string") return record["message"];
  if (typeof record["error"] === "object") return findMessage(record["error"]);
  if (typeof record["explanation"] === "string") return record["explanation"];
  // Glance v1/webob style: {"badRequest": {"message": "…"}}
  for (const inner of Object.values(record)) {
    const found = typeof inner === "object" ? findMessage(inner) : undefined;
    if (found !== undefined) return found;
  }
  return undefined;
}

function clean(message: string): string {
  const text = message
    .replace(/<br\s*\/?>/gi, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
  return text.length > 1000 ? `${text.slice(0, 997)}...` : text;
}
