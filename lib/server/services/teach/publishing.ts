// Checking and publishing an authored lesson (issue 15 points 4–5). The server's part of the check:
// the static rules (lib/teach/check.ts) and, in the grading sandbox, every exercise's hidden tests
// — the solution must pass them, the starter must not. Running the cells in a kernel is the
// browser's part (the author's "check lesson" runs them and shows its own problems) and CI's for
// the built-in course (scripts/check-lessons.ts). Publishing is refused with the problems; a
// published version is the draft as its files would read back, kept forever.
import { listDatasets } from "@/lib/datasets/catalog";
import { gradeExercise, prepareExercise } from "@/lib/grading/grade-exercise";
import { parseTestsSection } from "@/lib/grading/exercise-spec";
import { DomainError } from "@/lib/server/errors";
import type { SignedInContext } from "@/lib/server/services/context";
import { bundleLocales, type LessonBundle } from "@/lib/teach/bundle";
import { staticCheck, type CheckProblem } from "@/lib/teach/check";
import { normalizeThroughFiles } from "@/lib/teach/folder";
import { gradingPool } from "@/lib/server/services/grading/lessons";
import { editableLessonOrThrow } from "./access";
import { parseStoredBundle } from "./reading";

/** The dataset names a lesson of this author may load: the course's and the author's own. */
export async function datasetNamesFor(ctx: SignedInContext, authorId: string): Promise<Set<string>> {
  const own = await ctx.db.teachDataset.findMany({ where: { ownerId: authorId }, select: { name: true } });
  return new Set([...listDatasets().map((d) => d.name), ...own.map((d) => d.name)]);
}

/** The hidden tests of every exercise run in the sandbox: the solution passes, the starter fails. */
export async function sandboxCheck(bundle: LessonBundle): Promise<CheckProblem[]> {
  const out: CheckProblem[] = [];
  for (const locale of bundleLocales(bundle)) {
    for (const cell of bundle.docs[locale]!.cells) {
      if (cell.kind !== "exercise" || cell.tests === undefined) continue;
      const at = { cellId: cell.id as string, locale };
      try {
        const prepared = await prepareExercise(gradingPool(), parseTestsSection(cell.tests), cell.solution);
        const solution = await gradeExercise(gradingPool(), prepared, cell.solution);
        if (solution.grade.score < 1) out.push({ ...at, key: "solutionFailsTests", params: { message: solution.grade.message }, message: `the solution fails its hidden tests: ${solution.grade.message}` });
        const starter = await gradeExercise(gradingPool(), prepared, cell.starter);
        if (starter.grade.score >= 1) out.push({ ...at, key: "starterPassesTests", params: {}, message: "the starter already passes the hidden tests" });
      } catch (e) {
        const message = (e as Error).message;
        out.push({ ...at, key: "solutionFailsTests", params: { message }, message: `the solution does not run against its hidden tests: ${message}` });
      }
    }
  }
  return out;
}

export interface CheckReport {
  problems: CheckProblem[];
  /** Cells whose translation is behind (not a reason to refuse). */
  outdated: LessonBundle["outdated"];
}

export async function checkBundle(ctx: SignedInContext, bundle: LessonBundle, authorId: string): Promise<CheckProblem[]> {
  const problems = staticCheck(bundle, await datasetNamesFor(ctx, authorId));
  if (problems.some((p) => p.key === "testsInvalid")) return problems;
  return [...problems, ...(await sandboxCheck(bundle))];
}

/** The server's check of the current draft. */
export async function checkDraft(ctx: SignedInContext, input: { slug: string }): Promise<CheckReport> {
  const row = await editableLessonOrThrow(ctx, input.slug);
  const bundle = parseStoredBundle(row.draft);
  return { problems: await checkBundle(ctx, bundle, row.authorId), outdated: bundle.outdated };
}

export type PublishResult = { status: "published"; version: number } | { status: "refused"; problems: CheckProblem[] };

/** Publishes the draft at `revision` (the one the author checked) as the next version, or refuses with the problems. */
export async function publish(ctx: SignedInContext, input: { slug: string; revision: number }): Promise<PublishResult> {
  const row = await editableLessonOrThrow(ctx, input.slug);
  if (row.draftRevision !== input.revision) throw new DomainError("conflict", "The draft changed since it was checked; check it again", { key: "teach.errors.draftChanged" });
  const bundle = parseStoredBundle(row.draft);
  const problems = await checkBundle(ctx, bundle, row.authorId);
  if (problems.length) return { status: "refused", problems };
  const content = JSON.stringify(normalizeThroughFiles(bundle, row.slug));
  return ctx.db.$transaction(async (tx) => {
    const version = row.publishedVersion + 1;
    const { count } = await tx.authoredLesson.updateMany({ where: { id: row.id, publishedVersion: row.publishedVersion, draftRevision: row.draftRevision }, data: { publishedVersion: version } });
    if (count === 0) throw new DomainError("conflict", "The lesson changed meanwhile; check it again", { key: "teach.errors.draftChanged" });
    await tx.authoredLessonVersion.create({ data: { lessonId: row.id, version, content, publishedById: ctx.user.id } });
    return { status: "published", version } as const;
  });
}
