import type { InputRow } from "./types";

const CONTAINER_FORMATS = ["BARE", "OVF", "AKI", "ARI", "AMI", "DOCKER", "UNRECOGNIZED"] as const;
const DISK_FORMATS = ["RAW", "VHD", "VMDK", "VDI", "ISO", "QCOW2", "AKI", "ARI", "AMI", "UNRECOGNIZED"] as const;
const LIST_STATUSES = ["ALL_STATUS", "UNRECOGNIZED", "ACTIVE", "SAVING", "QUEUED", "KILLED", "PENDING_DELETE", "DELETED"] as const;

/** An id as the examples show one (L162); the conformance suite sends an id it created instead. */
const EXAMPLE_ID = "5913d2e59778c38af32ec032";

/** Every row of the five 输入参数 (input) tables, in the seed's order (duplicated rows once, noted). */
export const INPUT_ROWS: readonly InputRow[] = [
  { kind: "input", id: "create.input.name", op: "create", name: "name", type: "String", required: true, meaning: "image name (镜像名称)", sample: "ls-junit", cite: "L25-29", note: "sample from L80" },
  {
    kind: "input", id: "create.input.containerFormat", op: "create", name: "containerFormat", type: "Enum", required: true, values: CONTAINER_FORMATS,
    meaning: "container format (容器格式)", sample: "BARE", cite: "L31-35", assumes: ["formatInputCase"],
  },
  {
    kind: "input", id: "create.input.diskFormat", op: "create", name: "diskFormat", type: "String", required: true, values: DISK_FORMATS,
    meaning: "disk format (磁盘格式)", sample: "QCOW2", cite: "L37-41", assumes: ["formatInputCase"], note: "typed String, but its values are listed as for an Enum",
  },
  {
    kind: "input", id: "create.input.imageAddress", op: "create", name: "imageAddress", type: "String", required: true,
    meaning: "image file path (镜像文件路径)", sample: "http://files.example.invalid/cirros.qcow2", cite: "L43-47", assumes: ["imageAddress"], note: "the seed has no example value: the sample is ours",
  },
  {
    kind: "input", id: "create.input.applicationNames", op: "create", name: "applicationNames", type: "String[]", required: true,
    meaning: "names of the image's applications (镜像应用名称集合)", sample: ["viewer", "QQ", "mysql"], cite: "L49-53",
    assumes: ["arrayEncoding", "applications", "applicationNamesEmpty", "duplicateRows"], note: "written twice (L55-59); sample from L222",
  },
  { kind: "input", id: "create.input.description", op: "create", name: "description", type: "String", required: false, meaning: "image description (镜像描述)", sample: "junit测试-可删除", cite: "L61-65", note: "sample from L83" },

  { kind: "input", id: "update.input.imageId", op: "update", name: "imageId", type: "String", required: true, meaning: "image id (镜像ID)", sample: EXAMPLE_ID, cite: "L115-119", assumes: ["imageIdLocation"] },
  { kind: "input", id: "update.input.name", op: "update", name: "name", type: "String", required: false, meaning: "image name (镜像名称)", sample: "test", cite: "L121-125", assumes: ["duplicateRows", "updateSemantics"], note: "written twice (L127-131); sample from L164" },
  { kind: "input", id: "update.input.minLimit", op: "update", name: "minLimit", type: "Long", required: false, meaning: "minimum required memory (最低要求内存)", sample: 4, cite: "L133-137", assumes: ["minLimitUnit", "updateSemantics"], note: "sample from L165" },
  { kind: "input", id: "update.input.description", op: "update", name: "description", type: "String", required: false, meaning: "description (描述)", sample: "junit测试-可删除", cite: "L139-143", assumes: ["updateSemantics"] },
  {
    kind: "input", id: "update.input.imageApplications", op: "update", name: "imageApplications", type: "String[]", required: false,
    meaning: "ids of the image's applications (镜像应用ID集合)", sample: ["1", "2", "3"], cite: "L145-149", assumes: ["applications", "arrayEncoding", "updateSemantics"], note: "sample from L167 (numbers there)",
  },

  { kind: "input", id: "read.input.imageId", op: "read", name: "imageId", type: "String", required: true, meaning: "image id (镜像ID)", sample: EXAMPLE_ID, cite: "L198-202", assumes: ["imageIdLocation", "notFound"] },

  { kind: "input", id: "list.input.keywords", op: "list", name: "keywords", type: "String", required: false, meaning: "keywords, matched on name and displayName", sample: "ls-junit", cite: "L314-318", assumes: ["keywords"] },
  {
    kind: "input", id: "list.input.status", op: "list", name: "status", type: "Enum,Restricted", required: false, default: "ALL_STATUS", values: LIST_STATUSES,
    meaning: "status to list (查询状态)", sample: "ALL_STATUS", cite: "L320-324", assumes: ["statusVocabulary"],
  },
  { kind: "input", id: "list.input.page", op: "list", name: "page", type: "Integer", required: false, default: 1, meaning: "page number, from 1 (当前页码，从1开始)", sample: 1, cite: "L326-330", assumes: ["paging"] },
  { kind: "input", id: "list.input.offset", op: "list", name: "offset", type: "Integer", required: false, default: 20, meaning: "records per page (每页记录数量)", sample: 20, cite: "L332-336", assumes: ["paging"] },
  { kind: "input", id: "list.input.order", op: "list", name: "order", type: "String", required: false, values: ["name", "created", "updated"], meaning: "sort field (排序字段)", sample: "name", cite: "L338-342" },
  { kind: "input", id: "list.input.asc", op: "list", name: "asc", type: "Boolean", required: false, default: false, meaning: "ascending order (是否升序排列)", sample: true, cite: "L344-348" },

  { kind: "input", id: "delete.input.imageId", op: "delete", name: "imageId", type: "String", required: true, meaning: "image id (镜像ID)", sample: EXAMPLE_ID, cite: "L476-480", assumes: ["imageIdLocation", "deleteIsGet"] },
];
