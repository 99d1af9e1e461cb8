/** Path builders of the Glance v1 API. Ids are URL-encoded so that no input can change the path. */
const e = encodeURIComponent;

export const imagesPath = (): string => "/v1/images";
export const imagesDetailPath = (): string => "/v1/images/detail";
/** `HEAD` (metadata), `GET` (data), `PUT` (metadata and/or data), `DELETE`. */
export const imagePath = (id: string): string => `/v1/images/${e(id)}`;
