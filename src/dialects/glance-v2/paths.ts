/** Path builders of the Glance v2 API. Ids are URL-encoded so that no input can change the path. */
const e = encodeURIComponent;

export const imagesPath = (): string => "/v2/images";
export const imagePath = (id: string): string => `/v2/images/${e(id)}`;
export const imageFilePath = (id: string): string => `${imagePath(id)}/file`;
export const imageStagePath = (id: string): string => `${imagePath(id)}/stage`;
export const imageImportPath = (id: string): string => `${imagePath(id)}/import`;
export const imageTasksPath = (id: string): string => `${imagePath(id)}/tasks`;
export const imageTagPath = (id: string, tag: string): string => `${imagePath(id)}/tags/${e(tag)}`;
export const imageActionPath = (id: string, action: "deactivate" | "reactivate"): string => `${imagePath(id)}/actions/${action}`;
export const imageMembersPath = (id: string): string => `${imagePath(id)}/members`;
export const imageMemberPath = (id: string, member: string): string => `${imageMembersPath(id)}/${e(member)}`;
export const storeImagePath = (store: string, id: string): string => `/v2/stores/${e(store)}/${e(id)}`;
export const importInfoPath = (): string => "/v2/info/import";
export const storesInfoPath = (): string => "/v2/info/stores";
export const schemaPath = (name: "image" | "images" | "member" | "members" | "task" | "tasks"): string => `/v2/schemas/${name}`;
export const versionsPath = (): string => "/versions";
