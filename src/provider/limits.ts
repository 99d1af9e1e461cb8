/**
 * Glance's default limits on one image (`image_property_quota`, `image_tag_quota`; 413 beyond) and the
 * lengths of a tag and a name, the same on every API version.
 */
export const MAX_PROPERTIES = 128;
export const MAX_TAGS = 128;
export const MAX_TAG_LENGTH = 255;
export const MAX_NAME_LENGTH = 255;
