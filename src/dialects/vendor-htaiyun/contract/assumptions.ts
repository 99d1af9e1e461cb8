import type { Assumption } from "./types";

/** The sibling document `api-data-structure/README.md` of hanbr/my, the seed's own repository (not a seed). */
const SIBLING = "api-data-structure/README.md of hanbr/my (the seed's repository)";

/**
 * Every point seed 004 leaves open, named. `emulator` is the reading the test emulator follows by default;
 * `client` the readings the dialect is tested under. Switch a reading in the emulator with
 * `startVendorEmulator({ profile: { <name>: "<alternative>" } })`; the dialect's own switches are its
 * options (`bodyEncoding`).
 */
export const ASSUMPTIONS = {
  bodyEncoding: {
    title: "How POST inputs are encoded",
    cite: "L14-65, L104-150",
    question: "The input tables name parameters but never the body's media type.",
    evidence: `${SIBLING}: POST parameters are usually application/x-www-form-urlencoded, "some" endpoints take JSON`,
    alternatives: { form: "application/x-www-form-urlencoded", json: "application/json object" },
    emulator: "form",
    client: ["form", "json"],
  },
  arrayEncoding: {
    title: "How a String[] input travels in a form body",
    cite: "L49-59, L145-149",
    question: "applicationNames and imageApplications are String[]; a form has no arrays.",
    alternatives: { repeated: "the key repeated (k=a&k=b)", brackets: "k[]=a&k[]=b", comma: "one value, comma-separated" },
    emulator: "repeated",
    client: ["repeated"],
  },
  errorSignal: {
    title: "How a failure is signalled",
    cite: "L73-76, L91, L174",
    question: "Only successes are documented (envelope status 200); no error is.",
    evidence: `${SIBLING}: envelope status 400 invalid parameters, 403 authorization needed, 406 error during the call (see message)`,
    alternatives: { envelope: "HTTP 200, the envelope's status says 400/403/406", http: "the HTTP status equals the envelope's status" },
    emulator: "envelope",
    client: ["envelope", "http"],
  },
  notFound: {
    title: "How an unknown image id is answered",
    cite: "L197-202, L476-481",
    question: "imageId is required; the answer for an id that names no image is not documented.",
    evidence: `${SIBLING}: 406 "error during the call, see message" (the sibling file API answers 406 "mongoFile not found")`,
    alternatives: { "406": "status 406 with a message", "404": "status 404", "400": "status 400 (invalid parameter)" },
    emulator: "406",
    client: ["406", "404"],
  },
  authFailure: {
    title: "How missing or wrong access headers are answered",
    cite: "L9-11",
    question: "The three headers are listed for every operation; the answer without them is not documented.",
    evidence: `${SIBLING}: 403 "the method needs authorization: pass IMR-SESSION-TOKEN and IMR-SESSION-SECRET"`,
    alternatives: { "403": "status 403", "401": "status 401" },
    emulator: "403",
    client: ["403", "401"],
  },
  imageIdLocation: {
    title: "Where imageId goes",
    cite: "L95, L115-119, L178, L197-202, L456, L476-481",
    question: "imageId is both the <imageid> path segment and a required input parameter.",
    alternatives: { path: "the path segment only (a parameter is ignored)", both: "the path and a parameter, which must agree" },
    emulator: "path",
    client: ["path", "both"],
  },
  deleteIsGet: {
    title: "Delete is a GET that changes state",
    cite: "L459",
    question: "A GET is safe for every HTTP intermediary and client, which may repeat or prefetch it; the answer to a second delete is not documented.",
    alternatives: { "not-found": "a second delete of the same id is answered as an unknown id", ok: "a second delete answers 200 again" },
    emulator: "not-found",
    client: ["not-found", "ok"],
  },
  createdStatus: {
    title: "Whether a created image is ready at once",
    cite: "L79, L163, L324",
    question: "Examples show ACTIVED right after create; the list filter knows SAVING/QUEUED, so an asynchronous phase may exist.",
    alternatives: { sync: "ACTIVED in the create answer", async: "SAVING first, ACTIVED after a few reads" },
    emulator: "sync",
    client: ["sync", "async"],
  },
  statusVocabulary: {
    title: "Which words the status field uses",
    cite: "L79, L216, L274-277, L324",
    question: "Results say ACTIVED; the list filter offers ACTIVE, SAVING, QUEUED, KILLED, PENDING_DELETE, DELETED, UNRECOGNIZED but no ACTIVED.",
    alternatives: { mixed: "ACTIVED for ready images, the Glance words (upper-case) for the others" },
    emulator: "mixed",
    client: ["mixed"],
  },
  uniqueType: {
    title: "The type of unique (the image id)",
    cite: "L239-242, L402-405, L78, L215",
    question: "The field tables say Integer; every example is a 24-hex string (a MongoDB ObjectId: its first 4 bytes are the created second).",
    alternatives: { objectid: "a 24-hex string", integer: "a JSON number" },
    emulator: "objectid",
    client: ["objectid", "integer"],
  },
  formatInputCase: {
    title: "The case of containerFormat / diskFormat on input",
    cite: "L35, L41",
    question: "The enumerations are written upper-case; whether lower-case is accepted is not said.",
    alternatives: { upper: "only the upper-case names", any: "any case" },
    emulator: "upper",
    client: ["upper", "any"],
  },
  formatOutput: {
    title: "containerFormat / diskFormat in results",
    cite: "L85, L167-168, L223, L371-372",
    question: "Create/update examples show lower-case (bare, qcow2); the read and list examples show null, although both are required on create.",
    alternatives: { lower: "lower-case names everywhere", "null-on-read": "lower-case from create/update, null from read and list" },
    emulator: "lower",
    client: ["lower", "null-on-read"],
  },
  applications: {
    title: "Image applications: names in, IDs out, names again",
    cite: "L49-59, L84, L145-149, L167, L222, L370",
    question: "Create takes applicationNames (String[]); update takes imageApplications IDs (String[]); create/update answer imageApplications numbers; read/list answer applicationNames strings.",
    alternatives: { "as-documented": "each operation uses the name and type its own example shows" },
    emulator: "as-documented",
    client: ["as-documented"],
  },
  applicationNamesEmpty: {
    title: "Whether applicationNames may be empty",
    cite: "L49-53",
    question: "applicationNames is required; whether [] satisfies it is not said.",
    alternatives: { allowed: "[] (or no value in a form) is accepted", "non-empty": "at least one name" },
    emulator: "allowed",
    client: ["allowed"],
  },
  minLimitUnit: {
    title: "The unit of minLimit, and minRam beside it",
    cite: "L81, L133-137, L264-267",
    question: "minLimit is the \"minimum required memory\" (no unit); results also carry minRam (no unit) and minDisk, and no input sets those.",
    alternatives: { unknown: "the unit is unknown: minimum RAM and disk are not sent" },
    emulator: "unknown",
    client: ["unknown"],
  },
  visibilityFlags: {
    title: "isPublic / isProtected in results",
    cite: "L254-262, L417-425",
    question: "The field tables call them required; no example shows them and no input sets them.",
    alternatives: { absent: "not sent (as every example)", present: "sent as false" },
    emulator: "absent",
    client: ["absent", "present"],
  },
  imageAddress: {
    title: "What imageAddress is",
    cite: "L43-47",
    question: "\"镜像文件路径\" (image file path): a URL the platform fetches, a path on its storage, or a file id from its upload API?",
    alternatives: { opaque: "any non-empty string, passed through as given" },
    emulator: "opaque",
    client: ["opaque"],
  },
  paging: {
    title: "What offset means",
    cite: "L326-336, L362, L387-395",
    question: "offset is documented as records per page (default 20) and page as 1-based; the name offset usually means records skipped.",
    alternatives: { "page-size": "offset is the page size, as documented", skip: "offset is the number of records skipped" },
    emulator: "page-size",
    client: ["page-size"],
  },
  keywords: {
    title: "How keywords match",
    cite: "L314-318",
    question: "keywords \"applies to the group's name and displayName\" (text of the groups API): substring or exact, case?",
    alternatives: { substring: "case-sensitive substring of name or displayName", exact: "equal to name or displayName" },
    emulator: "substring",
    client: ["substring", "exact"],
  },
  updateSemantics: {
    title: "What an update leaves alone",
    cite: "L114-150",
    question: "Every update input but imageId is optional; whether an omitted one is kept or cleared is not said.",
    alternatives: { partial: "omitted inputs keep their values" },
    emulator: "partial",
    client: ["partial"],
  },
  timestamps: {
    title: "created / updated",
    cite: "L79-80, L279-287",
    question: "Integer with no unit; the values (1494471397428) are milliseconds since the epoch, matching the ObjectId's seconds.",
    alternatives: { "epoch-ms": "milliseconds since 1970-01-01T00:00:00Z" },
    emulator: "epoch-ms",
    client: ["epoch-ms"],
  },
  responseType: {
    title: "The Content-Type of answers",
    cite: "L73, L89",
    question: "Examples are JSON inside <code>; the media type is never stated.",
    alternatives: { json: "application/json", text: "text/plain (JSON in it)" },
    emulator: "json",
    client: ["json", "text"],
  },
  duplicateRows: {
    title: "Rows written twice",
    cite: "L49-59, L121-131",
    question: "applicationNames appears twice in create, name twice in update.",
    alternatives: { one: "each is one parameter" },
    emulator: "one",
    client: ["one"],
  },
  createRepeat: {
    title: "Whether a create can be recognised when sent again",
    cite: "L5-89",
    question: "The server assigns unique; no input carries a client id or idempotency key.",
    alternatives: {
      never: "a create is never sent again; one whose answer was lost is recognised by listing its namesakes before and after (keywords, L314-318): exactly one new image holding what was sent is adopted, none means not created, several are reported with what to clean up",
    },
    emulator: "never",
    client: ["never"],
  },
  credentials: {
    title: "Where the header values come from",
    cite: "L9-11",
    question: "The seed names the headers only (no line of L1-493 mentions a login). The sibling access API (POST /v1/access/login) returns sessionToken/sessionSecret/expired; it is not in the seed.",
    evidence:
      "access-control.md of hanbr/my (commit 398e62f6), Login L213-358: POST /v1/access/login with HT-ACCESS-TOKEN (L215-220), username/password/enterprise (L222-251). Not enough to log in on: its only example answer (L257-270) lacks the sessionToken/sessionSecret/expired its table requires (L342-356), so where they sit is unshown; expired is an Integer \"expiry timestamp, by server time\" (L352-356) with no unit (s or ms) and a server clock, so a cached session's end cannot be computed; the login has no error table (register has one, L177), so a wrong password's answer is unknown; nothing says how to renew a session. The provider therefore takes all three header values from the settings (secrets), and a refused session is an AuthError naming the settings",
    alternatives: { settings: "all three values are given by the operator, sent on every call" },
    emulator: "settings",
    client: ["settings"],
  },
  unknownInputs: {
    title: "Parameters the tables do not list",
    cite: "L14-65",
    question: "Whether an unlisted parameter is ignored or refused is not said.",
    alternatives: { ignore: "ignored", reject: "refused with 400" },
    emulator: "ignore",
    client: ["ignore", "reject"],
  },
} as const satisfies Record<string, Assumption>;

export type Profile = { -readonly [K in keyof typeof ASSUMPTIONS]: keyof (typeof ASSUMPTIONS)[K]["alternatives"] & string };

/** The emulator's default reading of every assumption. */
export function defaultProfile(): Profile {
  return Object.fromEntries(Object.entries(ASSUMPTIONS).map(([name, a]) => [name, a.emulator])) as Profile;
}
