// `data.load(name)` for an instructor's own dataset (issue 15 point 7): a name the course catalog
// does not know, in an authored lesson (slug "u-…"), is fetched from the app with the lesson's slug
// (GET /api/teach/datasets, which serves it only to the lesson's readers) and read like a course
// table. Runs in the kernel worker; `fetchFn` is its same-origin fetch.
import { findDataset } from "@/lib/datasets/catalog";
import { parseCsv } from "@/lib/datasets/csv";
import { toTableDataset } from "@/lib/datasets/table";
import type { Dataset } from "@/lib/datasets/types";

const AUTHORED_SLUG_RE = /^u-[a-z0-9]{10}$/;

/** True when `name` should come from the lesson's instructor rather than the course catalog. */
export function isTeachDataset(name: string, lessonSlug: string | null | undefined): lessonSlug is string {
  return !findDataset(name) && typeof lessonSlug === "string" && AUTHORED_SLUG_RE.test(lessonSlug) && /^[a-z0-9][a-z0-9-]{0,63}$/.test(name);
}

export async function loadTeachDataset(name: string, lessonSlug: string, fetchFn: (url: string) => Promise<Response>, baseUrl = ""): Promise<Dataset> {
  const r = await fetchFn(`${baseUrl}/api/teach/datasets?lesson=${encodeURIComponent(lessonSlug)}&name=${encodeURIComponent(name)}`);
  if (r.status === 404) throw new Error(`Unknown dataset "${name}" (neither a course dataset nor one of this lesson's)`);
  if (!r.ok) throw new Error(`Dataset "${name}" could not be loaded (HTTP ${r.status})`);
  const parsed = parseCsv(await r.text());
  return toTableDataset(name, parsed.columns, parsed.rows);
}
