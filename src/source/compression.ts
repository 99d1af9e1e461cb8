/** What `source.decompress` takes: a format, `auto` (detected by magic bytes) or `none` (bytes sent as fetched). */
export const DECOMPRESS_MODES = ["gzip", "bzip2", "xz", "zstd", "auto", "none"] as const;
export type DecompressMode = (typeof DECOMPRESS_MODES)[number];

/** A compression format the provider can undo in the stream. */
export type CompressionFormat = Exclude<DecompressMode, "auto" | "none">;

/** The longest magic number below: bytes needed before a format can be told. */
export const MAGIC_LENGTH = 6;

/**
 * The leading bytes of each format, from its specification: gzip (RFC 1952: 1f 8b, then method 08 =
 * deflate), bzip2 ("BZh" then the block size digit 1-9), xz (fd "7zXZ" 00), zstd (frame magic
 * 0xFD2FB528, little-endian; or a skippable frame's 0x184D2A50-5F, which pzstd writes first).
 */
const MAGIC: readonly (readonly [CompressionFormat, (head: Uint8Array) => boolean])[] = [
  ["gzip", (h) => h[0] === 0x1f && h[1] === 0x8b && h[2] === 0x08],
  ["bzip2", (h) => h[0] === 0x42 && h[1] === 0x5a && h[2] === 0x68 && h[3] !== undefined && h[3] >= 0x31 && h[3] <= 0x39],
  ["xz", (h) => h[0] === 0xfd && h[1] === 0x37 && h[2] === 0x7a && h[3] === 0x58 && h[4] === 0x5a && h[5] === 0x00],
  ["zstd", (h) => (h[0] === 0x28 && h[1] === 0xb5 && h[2] === 0x2f && h[3] === 0xfd) || (h[0] !== undefined && (h[0] & 0xf0) === 0x50 && h[1] === 0x2a && h[2] === 0x4d && h[3] === 0x18)],
];

/**
 * The compression format the data starts with, by its magic bytes only (never a file name or a
 * Content-Type, which lie: `.img` files that are gzip, `application/octet-stream` for everything).
 * `undefined` when no known format matches (raw, qcow2, vmdk, iso...).
 */
export function detectCompression(head: Uint8Array): CompressionFormat | undefined {
  return MAGIC.find(([, matches]) => matches(head))?.[0];
}
