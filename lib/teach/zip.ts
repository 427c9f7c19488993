// A lesson folder as a zip (meta.json, es.md, en.md, images/*), with fflate. Reading checks the
// sizes the archive declares before inflating anything (a small zip may claim gigabytes) and
// refuses anything it does not know, so an import is the whole lesson or nothing.
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from "fflate";
import { LessonImportError } from "./errors";
import { MAX_LESSON_FILE_BYTES, type LessonFolderFiles } from "./folder";

export const MAX_ZIP_BYTES = 20 * 1024 * 1024;
export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;
export const MAX_IMAGES = 40;
export const IMAGE_NAME_RE = /^[a-z0-9][a-z0-9._-]{0,79}\.(png|jpe?g|gif|webp)$/i;
const LESSON_FILES = new Set(["meta.json", "es.md", "en.md"]);
// Folders a desktop adds by itself: skipped, not refused.
const JUNK_RE = /(^|\/)(__MACOSX\/|\.DS_Store$|Thumbs\.db$)/;

export interface LessonArchive {
  files: LessonFolderFiles;
  images: { name: string; data: Uint8Array }[];
}

/** The archive's entries under its one top folder (if every entry shares one), junk left out. */
function relativeNames(names: string[]): Map<string, string> {
  const real = names.filter((n) => !JUNK_RE.test(n) && !n.endsWith("/"));
  const tops = new Set(real.map((n) => (n.includes("/") ? n.slice(0, n.indexOf("/") + 1) : "")));
  const prefix = tops.size === 1 && ![...tops][0].startsWith("images/") ? [...tops][0] : "";
  return new Map(real.map((n) => [n, n.slice(prefix.length)]));
}

export function readLessonZip(bytes: Uint8Array): LessonArchive {
  if (bytes.length > MAX_ZIP_BYTES) throw new LessonImportError("zipTooLarge", `the zip is larger than ${MAX_ZIP_BYTES} bytes`, { limit: MAX_ZIP_BYTES });
  const declared: { name: string; size: number }[] = [];
  let entries: Record<string, Uint8Array>;
  try {
    // The filter sees every entry's declared size before it is inflated; nothing is extracted on this pass.
    unzipSync(bytes, { filter: (f) => (declared.push({ name: f.name, size: f.originalSize }), false) });
  } catch (e) {
    throw new LessonImportError("zipMalformed", `not a zip file (${(e as Error).message})`, { problem: (e as Error).message });
  }
  if (declared.length === 0) throw new LessonImportError("zipMalformed", "the zip is empty", { problem: "empty" });
  const rel = relativeNames(declared.map((d) => d.name));
  let images = 0;
  for (const d of declared) {
    const name = rel.get(d.name);
    if (name === undefined) continue;
    if (LESSON_FILES.has(name)) {
      if (d.size > MAX_LESSON_FILE_BYTES) throw new LessonImportError("tooLarge", `${name} is larger than ${MAX_LESSON_FILE_BYTES} bytes`, { file: name, limit: MAX_LESSON_FILE_BYTES });
    } else if (name.startsWith("images/") && IMAGE_NAME_RE.test(name.slice(7))) {
      if (d.size > MAX_IMAGE_BYTES) throw new LessonImportError("tooLarge", `${name} is larger than ${MAX_IMAGE_BYTES} bytes`, { file: name, limit: MAX_IMAGE_BYTES });
      if (++images > MAX_IMAGES) throw new LessonImportError("tooLarge", `more than ${MAX_IMAGES} images`, { file: "images/", limit: MAX_IMAGES });
    } else {
      throw new LessonImportError("zipUnexpectedFile", `unexpected file "${name}" (a lesson zip holds meta.json, es.md, en.md and images/)`, { file: name });
    }
  }
  try {
    entries = unzipSync(bytes, { filter: (f) => rel.has(f.name) });
  } catch (e) {
    throw new LessonImportError("zipMalformed", `the zip cannot be read (${(e as Error).message})`, { problem: (e as Error).message });
  }
  const archive: LessonArchive = { files: {}, images: [] };
  for (const [entry, data] of Object.entries(entries)) {
    const name = rel.get(entry)!;
    if (LESSON_FILES.has(name)) {
      if (data.length > MAX_LESSON_FILE_BYTES) throw new LessonImportError("tooLarge", `${name} is larger than ${MAX_LESSON_FILE_BYTES} bytes`, { file: name, limit: MAX_LESSON_FILE_BYTES });
      let text: string;
      try {
        text = new TextDecoder("utf-8", { fatal: true }).decode(data);
      } catch {
        throw new LessonImportError("lessonFile", `${name} is not UTF-8 text`, { file: name, line: 1, problem: "not UTF-8 text" });
      }
      archive.files[name as keyof LessonFolderFiles] = text.replace(/^\uFEFF/, "");
    } else {
      if (data.length > MAX_IMAGE_BYTES) throw new LessonImportError("tooLarge", `${name} is larger than ${MAX_IMAGE_BYTES} bytes`, { file: name, limit: MAX_IMAGE_BYTES });
      archive.images.push({ name: name.slice(7), data });
    }
  }
  archive.images.sort((a, b) => (a.name < b.name ? -1 : 1));
  return archive;
}

/** The lesson folder zipped under `<slug>/`, as content/lessons holds it. */
export function writeLessonZip(slug: string, archive: LessonArchive): Uint8Array {
  const tree: Zippable = {};
  for (const [name, text] of Object.entries(archive.files)) if (text !== undefined) tree[`${slug}/${name}`] = strToU8(text);
  for (const img of archive.images) tree[`${slug}/images/${img.name}`] = [img.data, { level: 0 }];
  // A fixed time keeps the bytes of two exports of the same lesson equal.
  return zipSync(tree, { level: 6, mtime: new Date("2026-01-01T00:00:00Z") });
}

export { strFromU8 };
