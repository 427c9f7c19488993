// The part of a run search the database can answer: `=` and `IN` on params, tags and plain run
// columns narrow the rows fetched. The whole filter still runs in memory on what comes back
// (search-filter.ts), so this only has to keep every run that may match; metrics, ranges, LIKE
// and `!=` are left to that pass.
import type { Prisma } from "@/prisma/generated/sqlite/client";
import type { Clause } from "./search-filter";

/** Run attributes stored as a column of the same value (searchableOf in runs.ts). */
const COLUMNS = {
  run_id: "id",
  run_name: "name",
  status: "status",
  user_id: "userId",
  backend: "backend",
  device: "device",
  dataset_name: "datasetName",
  dataset_hash: "datasetHash",
  lesson_slug: "lessonSlug",
  class_id: "classId",
} as const satisfies Record<string, keyof Prisma.RunWhereInput>;

export function sqlNarrowing(clauses: Clause[]): Prisma.RunWhereInput[] {
  const where: Prisma.RunWhereInput[] = [];
  for (const c of clauses) {
    const values = c.op === "=" && typeof c.value === "string" ? [c.value] : c.op === "IN" && Array.isArray(c.value) ? c.value : null;
    if (!values) continue;
    const value = values.length === 1 ? values[0] : { in: values };
    if (c.entity === "param") where.push({ params: { some: { key: c.key, value } } });
    else if (c.entity === "tag") where.push({ tags: { some: { key: c.key, value } } });
    else if (c.entity === "attribute" && c.key in COLUMNS) where.push({ [COLUMNS[c.key as keyof typeof COLUMNS]]: value });
  }
  return where;
}
