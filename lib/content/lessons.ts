// The built-in course: lesson folders under content/lessons, read on the server.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import type { Locale } from "@/lib/i18n/routing";

const localized = z.object({ es: z.string(), en: z.string() });
const metaSchema = z.object({
  slug: z.string().regex(/^[a-z0-9-]+$/),
  order: z.number().int(),
  title: localized,
  summary: localized,
  minutes: z.number().int().positive().optional(),
  datasets: z.array(z.string()).default([]),
  /** How hints and a revealed solution cap a graded exercise's score (lib/grading/grade-exercise.ts GradingPolicy). */
  grading: z.object({ hintCost: z.number().min(0).max(1).optional(), revealedCap: z.number().min(0).max(1).optional() }).strict().optional(),
});
export type LessonMeta = z.infer<typeof metaSchema>;

export const lessonsDir = join(process.cwd(), "content", "lessons");

/** Every lesson whose meta.json is valid, in course order. */
export function listLessons(dir = lessonsDir): LessonMeta[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, "meta.json")))
    .map((d) => metaSchema.parse(JSON.parse(readFileSync(join(dir, d.name, "meta.json"), "utf8"))))
    .sort((a, b) => a.order - b.order);
}

export function getLessonMeta(slug: string, dir = lessonsDir): LessonMeta | null {
  return listLessons(dir).find((l) => l.slug === slug) ?? null;
}

/** The lesson's notebook markdown in a locale (falls back to Spanish, the course's language). */
export function readLessonSource(slug: string, locale: Locale, dir = lessonsDir): string | null {
  if (!/^[a-z0-9-]+$/.test(slug)) return null;
  for (const l of [locale, "es"]) {
    const file = join(dir, slug, `${l}.md`);
    if (existsSync(file)) return readFileSync(file, "utf8");
  }
  return null;
}
