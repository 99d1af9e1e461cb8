import type { BaseRow, EnvelopeRow, HeaderRow, OperationName, RouteRow } from "./types";

/** The documented base URL and the path prefix of every operation. */
export const BASE_ROW: BaseRow = {
  kind: "base",
  id: "all.base",
  op: "all",
  baseUrl: "http://api.htaiyun.com",
  prefix: "/v1/openstack/image",
  cite: "L5, L95, L178, L294, L456",
  note: "plain http in the document; the dialect takes the endpoint from the settings",
};

/** The envelope every example shows, and the value conventions shared by every result. */
export const ENVELOPE_ROWS: readonly EnvelopeRow[] = [
  {
    kind: "envelope",
    id: "all.envelope",
    op: "all",
    cite: "L73-89, L157-172, L210-227, L356-375, L488-493",
    assumes: ["errorSignal", "responseType"],
    fields: [
      { name: "status", type: "Integer", required: true, shown: ["number"], cite: "L75, L159, L212, L358, L490", note: "200 on success" },
      { name: "message", type: "String", required: true, shown: ["string"], cite: "L76, L160, L213, L359, L491", note: "\"OK\" on success" },
      { name: "result", type: "Object", required: false, shown: ["object"], cite: "L77, L161, L214, L360", note: "absent from the delete example (L488-493)" },
      { name: "links", type: "Object[]", required: true, shown: ["array"], cite: "L87, L170, L225, L373, L491", note: "always [] in the examples" },
    ],
  },
  {
    kind: "envelope",
    id: "all.timestamps",
    op: "all",
    cite: "L79-80, L279-287",
    assumes: ["timestamps"],
    fields: [
      { name: "created", type: "Integer", required: true, shown: ["number"], cite: "L279-282" },
      { name: "updated", type: "Integer", required: true, shown: ["number"], cite: "L284-287" },
    ],
  },
];

/** Method and path of each operation (`{imageId}` is the seed's `<imageid>`). */
export const ROUTE_ROWS: readonly RouteRow[] = [
  { kind: "route", id: "create.route", op: "create", method: "POST", path: "/v1/openstack/image/create", cite: "L5, L8", assumes: ["bodyEncoding", "createRepeat", "unknownInputs"] },
  { kind: "route", id: "update.route", op: "update", method: "POST", path: "/v1/openstack/image/{imageId}/update", cite: "L95, L98", assumes: ["bodyEncoding", "imageIdLocation", "unknownInputs"] },
  { kind: "route", id: "read.route", op: "read", method: "GET", path: "/v1/openstack/image/{imageId}/get", cite: "L178, L181", assumes: ["imageIdLocation"] },
  { kind: "route", id: "list.route", op: "list", method: "GET", path: "/v1/openstack/image/list", cite: "L294, L297" },
  {
    kind: "route",
    id: "delete.route",
    op: "delete",
    method: "GET",
    path: "/v1/openstack/image/{imageId}/delete",
    cite: "L456, L459",
    assumes: ["deleteIsGet", "imageIdLocation"],
    note: "a GET that deletes: never repeated, never prefetched",
  },
];

/** The three "Special Request Header" rows, as each operation lists them. */
const HEADER_LINES: Readonly<Record<OperationName, readonly [number, number, number]>> = {
  create: [9, 10, 11],
  update: [99, 100, 101],
  read: [182, 183, 184],
  list: [298, 299, 300],
  delete: [460, 461, 462],
};

const HEADERS = [
  { name: "HT-ACCESS-TOKEN", meaning: "the cloud platform's application API access token (云平台应用接口访问令牌)" },
  { name: "IMR-SESSION-TOKEN", meaning: "the current user's session id (当前用户会话ID)" },
  { name: "IMR-SESSION-SECRET", meaning: "the current user's session secret (当前用户会话密钥)" },
] as const;

export const HEADER_ROWS: readonly HeaderRow[] = (Object.keys(HEADER_LINES) as OperationName[]).flatMap((op) =>
  HEADERS.map((h, i): HeaderRow => ({
    kind: "header",
    id: `${op}.header.${h.name}`,
    op,
    name: h.name,
    meaning: h.meaning,
    cite: `L${HEADER_LINES[op][i] ?? 0}`,
    assumes: ["authFailure", "credentials"],
  })),
);
