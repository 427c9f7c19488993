// The server's view of the course's lessons for grading (issue 12, points 1–2): each lesson file
// is parsed once per process (again only when the file changes), the document a browser may see
// is made from it by publicLessonDocument, and each graded exercise's expectations are prepared
// lazily (its reference solution run once through the process-wide sandbox pool).
import { statSync } from "node:fs";
import { join } from "node:path";
import { getLessonMeta, lessonsDir, readLessonSource } from "@/lib/content/lessons";
import { parseTestsSection } from "@/lib/grading/exercise-spec";
import { DEFAULT_GRADING_POLICY, prepareExercise, type GradingPolicy, type PreparedExercise } from "@/lib/grading/grade-exercise";
import { createSandboxPool, type SandboxPool } from "@/lib/grading/sandbox/pool";
import type { Locale } from "@/lib/i18n/routing";
import { publicLessonDocument } from "@/lib/notebook/hidden";
import { parseLessonMarkdown } from "@/lib/notebook/lesson-markdown";
import type { ExerciseCell, NotebookDocument } from "@/lib/notebook/types";
import { processWide } from "@/lib/server/process-wide";
import { DomainError } from "@/lib/server/errors";
import type { ServiceContext } from "@/lib/server/services/context";
import { isAuthoredSlug } from "@/lib/server/services/teach/access";
import { loadPublishedLesson } from "@/lib/server/services/teach/reading";

export interface LoadedLesson {
  slug: string;
  locale: Locale;
  /** The whole lesson, hidden parts included: never send it to a browser. */
  full: NotebookDocument;
  /** What a browser may get (no tests, hints or solutions). */
  public: NotebookDocument;
  policy: GradingPolicy;
  /** The file's identity when parsed (modification time and size): a changed file is parsed again. */
  version: string;
  /** Prepared expectations per exercise id (the promise, so concurrent first submissions share one run). */
  prepared: Map<string, Promise<PreparedExercise>>;
}

interface Registry {
  lessons: Map<string, LoadedLesson>;
  pool: SandboxPool | null;
  /** Where lesson folders are read from (content/lessons; tests point it at fixtures). */
  dir: string;
}

const registry = processWide<Registry>("grading.lessons", () => ({ lessons: new Map(), pool: null, dir: lessonsDir }));

/** Reads lessons from another folder (tests' fixture lessons); forgets every lesson parsed so far. */
export function setLessonsDir(dir: string = lessonsDir): void {
  registry.dir = dir;
  registry.lessons.clear();
}

/** The sandbox pool of this server process (children start on first use). */
export function gradingPool(): SandboxPool {
  registry.pool ??= createSandboxPool();
  return registry.pool;
}

/** Grades with this pool from now on (tests: limits for a loaded machine, a full queue). The caller closes it. */
export function setGradingPool(pool: SandboxPool | null): void {
  registry.pool = pool;
}

/** Stops the pool and forgets every lesson (tests, shutdown). */
export async function closeGrading(): Promise<void> {
  const pool = registry.pool;
  registry.pool = null;
  registry.lessons.clear();
  await pool?.close();
}

/** The lesson's grading policy: meta.json `grading`, each field defaulting to DEFAULT_GRADING_POLICY. */
export function lessonPolicy(slug: string): GradingPolicy {
  const grading = getLessonMeta(slug, registry.dir)?.grading;
  return { ...DEFAULT_GRADING_POLICY, ...(grading ?? {}) };
}

function fileVersion(slug: string, locale: Locale): string | null {
  for (const l of [locale, "es"]) {
    try {
      const s = statSync(join(registry.dir, slug, `${l}.md`));
      return `${l}:${s.mtimeMs}:${s.size}`;
    } catch {
      // try the next language (readLessonSource falls back to Spanish too)
    }
  }
  return null;
}

/** The lesson in a locale, parsed once per process and file version; null when there is none. */
export function loadLesson(slug: string, locale: Locale): LoadedLesson | null {
  if (!/^[a-z0-9-]{1,64}$/.test(slug)) return null;
  const version = fileVersion(slug, locale);
  if (!version) return null;
  const key = `${slug}:${locale}`;
  const cached = registry.lessons.get(key);
  if (cached && cached.version === version) return cached;
  const source = readLessonSource(slug, locale, registry.dir);
  if (source === null) return null;
  const meta = getLessonMeta(slug, registry.dir);
  const full = parseLessonMarkdown(source, {
    locale,
    lessonSlug: slug,
    ...(meta ? { title: meta.title[locale], datasets: meta.datasets } : {}),
  });
  const lesson: LoadedLesson = { slug, locale, full, public: publicLessonDocument(full), policy: lessonPolicy(slug), version, prepared: new Map() };
  registry.lessons.set(key, lesson);
  return lesson;
}

/** The lesson document a browser may get, or null when there is no such lesson. */
export function publicLesson(slug: string, locale: Locale): { doc: NotebookDocument; policy: GradingPolicy } | null {
  const lesson = loadLesson(slug, locale);
  return lesson ? { doc: lesson.public, policy: lesson.policy } : null;
}

export function loadLessonOrThrow(slug: string, locale: Locale): LoadedLesson {
  const lesson = loadLesson(slug, locale);
  if (!lesson) throw new DomainError("notFound", `There is no lesson "${slug}"`);
  return lesson;
}

/** An exercise of the lesson (any exercise: hints and solutions are served for all of them). */
export function exerciseOrThrow(lesson: LoadedLesson, exerciseId: string): ExerciseCell {
  const cell = lesson.full.cells.find((c): c is ExerciseCell => c.kind === "exercise" && c.id === exerciseId);
  if (!cell) throw new DomainError("notFound", `Lesson "${lesson.slug}" has no exercise "${exerciseId}"`);
  return cell;
}

/**
 * The hidden expectations of a graded exercise, prepared on first use and kept for the process.
 * An exercise without a `--- tests` section is not graded on the server: a clear error. A failed
 * preparation (the pool was busy, a lesson defect) is not kept, so the next submission tries again.
 */
export function preparedExercise(lesson: LoadedLesson, exerciseId: string): Promise<PreparedExercise> {
  const cell = exerciseOrThrow(lesson, exerciseId);
  if (cell.tests === undefined) {
    throw new DomainError("invalidInput", `Exercise "${exerciseId}" has no hidden tests: it is checked in your browser only, not graded on the server`, {
      key: "exercises.errors.notGraded",
    });
  }
  let prepared = lesson.prepared.get(exerciseId);
  if (!prepared) {
    const tests = cell.tests;
    prepared = Promise.resolve().then(() => prepareExercise(gradingPool(), parseTestsSection(tests), cell.solution));
    lesson.prepared.set(exerciseId, prepared);
    prepared.catch(() => {
      if (lesson.prepared.get(exerciseId) === prepared) lesson.prepared.delete(exerciseId);
    });
  }
  return prepared;
}

/**
 * Starts preparing the lesson's graded exercises in the background (the sandbox pool starts with
 * the first), so a student's first Submit does not wait for it. Called when a signed-in student
 * opens the lesson; a failure is left for the submission to report.
 */
export function warmLessonGrading(slug: string, locale: Locale): void {
  const lesson = loadLesson(slug, locale);
  if (!lesson) return;
  for (const c of lesson.full.cells) {
    if (c.kind === "exercise" && c.tests !== undefined) preparedExercise(lesson, c.id).catch(() => undefined);
  }
}

/**
 * A lesson for a reader: a built-in lesson from its files, or the latest published version of an
 * instructor's lesson (issue 15) when the caller may read it — graded like a built-in one, its
 * prepared expectations kept per published version. notFound otherwise.
 */
export async function resolveLessonOrThrow(ctx: ServiceContext, slug: string, locale: Locale): Promise<LoadedLesson> {
  if (!isAuthoredSlug(slug)) return loadLessonOrThrow(slug, locale);
  const published = await loadPublishedLesson(ctx, slug, locale);
  if (!published) throw new DomainError("notFound", `There is no lesson "${slug}"`);
  const key = `${slug}:${locale}`;
  const version = `v${published.version}:${published.locale}`;
  const cached = registry.lessons.get(key);
  if (cached && cached.version === version) return cached;
  const lesson: LoadedLesson = {
    slug,
    locale: published.locale,
    full: published.full,
    public: publicLessonDocument(published.full),
    policy: published.policy,
    version,
    prepared: new Map(),
  };
  registry.lessons.set(key, lesson);
  return lesson;
}

/** As warmLessonGrading, for any lesson the caller may read. */
export async function warmAnyLessonGrading(ctx: ServiceContext, slug: string, locale: Locale): Promise<void> {
  const lesson = await resolveLessonOrThrow(ctx, slug, locale).catch(() => null);
  if (!lesson) return;
  for (const c of lesson.full.cells) {
    if (c.kind === "exercise" && c.tests !== undefined) preparedExercise(lesson, c.id).catch(() => undefined);
  }
}
