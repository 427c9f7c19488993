// Images stored with an authored lesson (issue 15 point 2). Markdown refers to an image by its
// served path `/api/teach/lessons/<slug>/files/<name>`; in a lesson folder the same image is
// `images/<name>`. Exports write the folder form and imports rewrite it to the new lesson's path,
// so an exported lesson's images follow it. An upload is an image by its bytes, not its name.
import type { LessonBundle } from "./bundle";
import { LessonImportError } from "./errors";
import { IMAGE_NAME_RE, MAX_IMAGE_BYTES } from "./zip";

export const imagePath = (slug: string, name: string) => `/api/teach/lessons/${slug}/files/${name}`;

/** The image's media type from its first bytes, or null when it is not a PNG, JPEG, GIF or WebP. */
export function sniffImage(bytes: Uint8Array): "image/png" | "image/jpeg" | "image/gif" | "image/webp" | null {
  const b = bytes;
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return "image/png";
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "image/jpeg";
  if (b.length >= 6 && b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38) return "image/gif";
  if (b.length >= 12 && b[0] === 0x52 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x46 && b[8] === 0x57 && b[9] === 0x45 && b[10] === 0x42 && b[11] === 0x50) return "image/webp";
  return null;
}

/** Checks an uploaded image (name, size, bytes); returns its media type or throws a LessonImportError. */
export function checkImageOrThrow(name: string, bytes: Uint8Array): string {
  if (!IMAGE_NAME_RE.test(name)) throw new LessonImportError("imageInvalid", `"${name}" is not an image name (letters, digits, . _ -, ending in .png, .jpg, .gif or .webp)`, { file: name });
  if (bytes.length > MAX_IMAGE_BYTES) throw new LessonImportError("tooLarge", `${name} is larger than ${MAX_IMAGE_BYTES} bytes`, { file: name, limit: MAX_IMAGE_BYTES });
  const type = sniffImage(bytes);
  if (!type) throw new LessonImportError("imageInvalid", `${name} is not a PNG, JPEG, GIF or WebP image`, { file: name });
  return type;
}

function mapMarkdown(bundle: LessonBundle, f: (source: string) => string): LessonBundle {
  const docs: LessonBundle["docs"] = {};
  for (const [l, doc] of Object.entries(bundle.docs) as [keyof LessonBundle["docs"], NonNullable<LessonBundle["docs"]["es"]>][]) {
    docs[l] = { ...doc, cells: doc.cells.map((c) => (c.kind === "markdown" ? { ...c, source: f(c.source) } : c)) };
  }
  return { ...bundle, docs };
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

/** Served image paths → `images/<name>` (the folder form). */
export function toFolderImages(bundle: LessonBundle, slug: string): LessonBundle {
  const re = new RegExp(`\\(${escape(imagePath(slug, ""))}([a-zA-Z0-9._-]+)\\)`, "g");
  return mapMarkdown(bundle, (s) => s.replace(re, "(images/$1)"));
}

/** `images/<name>` → the new lesson's served paths. */
export function fromFolderImages(bundle: LessonBundle, slug: string): LessonBundle {
  return mapMarkdown(bundle, (s) => s.replace(/\((?:\.\/)?images\/([a-zA-Z0-9._-]+)\)/g, (_m, name: string) => `(${imagePath(slug, name)})`));
}
