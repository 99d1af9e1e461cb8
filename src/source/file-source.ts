import { open, stat, type FileHandle } from "node:fs/promises";
import { resolve } from "node:path";
import { ImageSourceError, describeCause } from "../errors";

/**
 * A stat-based identity of a local file: if none of these moved, the content is taken as unchanged.
 * `ctimeMs` is what catches bytes rewritten in place with the mtime set back (`touch -r`, `rsync -t`,
 * `tar x`): every write and every utimes() moves it, and no user tool can set it back.
 */
export interface FileStamp {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  readonly ino: number;
  readonly dev: number;
}

/**
 * Stats a source file and checks it is a non-empty regular file; errors name `field` and the fix. Stat
 * only: a preview's diff costs no open and no read.
 */
export async function statSourceFile(path: string, field = "source.file"): Promise<FileStamp> {
  const absolute = resolve(path);
  let info;
  try {
    info = await stat(absolute);
  } catch (cause) {
    const code = (cause as { code?: string }).code;
    if (code === "ENOENT") throw new ImageSourceError(field, `file ${absolute} does not exist: check the path (relative paths are resolved against the Pulumi project directory, ${process.cwd()})`, { cause });
    if (code === "EACCES") throw new ImageSourceError(field, `file ${absolute} cannot be read (permission denied): grant read access to the user running pulumi`, { cause });
    throw new ImageSourceError(field, `cannot stat ${absolute}: ${String((cause as Error).message)}: check the path`, { cause });
  }
  if (info.isDirectory()) throw new ImageSourceError(field, `${absolute} is a directory: give the path of the image file inside it`);
  if (!info.isFile()) throw new ImageSourceError(field, `${absolute} is not a regular file: give the path of an image file`);
  if (info.size === 0) throw new ImageSourceError(field, `file ${absolute} is empty: point it at the image file, or drop source to create an image without data`);
  return { path: absolute, size: info.size, mtimeMs: info.mtimeMs, ctimeMs: info.ctimeMs, ino: info.ino, dev: info.dev };
}

/** {@link statSourceFile} plus a readability check (open and close), for `check`. */
export async function checkSourceFile(path: string, field = "source.file"): Promise<FileStamp> {
  const stamp = await statSourceFile(path, field);
  await (await openForRead(stamp.path, field)).close();
  return stamp;
}

/**
 * Opens a file for reading. Opened, not access()ed: access() answers yes to root for files that still
 * refuse to open.
 */
async function openForRead(absolute: string, field: string): Promise<FileHandle> {
  try {
    return await open(absolute, "r");
  } catch (cause) {
    const code = (cause as { code?: string }).code;
    const why = code === "EACCES" || code === "EPERM" ? "permission denied" : describeCause(cause);
    throw new ImageSourceError(field, `file ${absolute} cannot be read (${why}): grant read access to the user running pulumi`, { cause });
  }
}

/** True when two stamps describe the same unchanged file. */
export function sameStamp(a: FileStamp, b: FileStamp): boolean {
  return a.path === b.path && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.ino === b.ino && a.dev === b.dev;
}

/**
 * Opens the file for one sequential read (one open), for `readFileChunks`. The descriptor is opened
 * before the upload starts, so a file that vanished or became unreadable since `check` fails here with a
 * clear error, not mid-upload. The caller closes the handle.
 */
export async function openSourceFile(path: string, field = "source.file"): Promise<{ handle: FileHandle; stamp: FileStamp }> {
  const stamp = await statSourceFile(path, field);
  const handle = await openForRead(stamp.path, field);
  return { handle, stamp };
}
