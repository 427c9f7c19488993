// Lessons assigned to classes (issue 15 point 6): an instructor assigns a built-in lesson, or a
// published lesson they edit, to a class they teach, with an opening date and an optional due
// date. The due date is mirrored into LessonDeadline, which the grading service reads to mark
// late submissions. Students see their open assignments with due dates and status; the
// instructor sees each student's progress per assigned lesson.
import { listLessons } from "@/lib/content/lessons";
import type { Locale } from "@/lib/i18n/routing";
import { DomainError } from "@/lib/server/errors";
import { nowOf, type SignedInContext } from "@/lib/server/services/context";
import { assertTeaches } from "@/lib/server/services/classes";
import { isAuthoredSlug } from "./access";
import { parseStoredBundle } from "./reading";

async function lessonTitles(ctx: SignedInContext, slugs: string[], locale: Locale): Promise<Map<string, { title: string; exercises: number }>> {
  const out = new Map<string, { title: string; exercises: number }>();
  for (const l of listLessons()) if (slugs.includes(l.slug)) out.set(l.slug, { title: l.title[locale], exercises: 0 });
  const authored = slugs.filter(isAuthoredSlug);
  if (authored.length) {
    const rows = await ctx.db.authoredLesson.findMany({ where: { slug: { in: authored }, publishedVersion: { gt: 0 } }, select: { id: true, slug: true, publishedVersion: true } });
    for (const r of rows) {
      const v = await ctx.db.authoredLessonVersion.findUnique({ where: { lessonId_version: { lessonId: r.id, version: r.publishedVersion } }, select: { content: true } });
      if (!v) continue;
      const b = parseStoredBundle(v.content);
      const doc = b.docs[locale] ?? b.docs.es ?? b.docs.en!;
      out.set(r.slug, { title: b.meta.title[locale] ?? Object.values(b.meta.title)[0] ?? r.slug, exercises: doc.cells.filter((c) => c.kind === "exercise" && c.tests !== undefined).length });
    }
  }
  return out;
}

async function assertAssignable(ctx: SignedInContext, slug: string): Promise<void> {
  if (!isAuthoredSlug(slug)) {
    if (!listLessons().some((l) => l.slug === slug)) throw new DomainError("notFound", `There is no lesson "${slug}"`);
    return;
  }
  const row = await ctx.db.authoredLesson.findFirst({
    where: { slug, deletedAt: null, OR: [{ authorId: ctx.user.id }, { coauthors: { some: { userId: ctx.user.id } } }] },
    select: { publishedVersion: true },
  });
  if (!row) throw new DomainError("notFound", `There is no lesson "${slug}"`);
  if (row.publishedVersion === 0) throw new DomainError("invalidInput", "Publish the lesson before assigning it", { key: "teach.errors.notPublished" });
}

export async function assign(ctx: SignedInContext, input: { lessonSlug: string; classId: string; opensAt: Date; dueAt: Date | null }): Promise<void> {
  await assertTeaches(ctx, input.classId);
  await assertAssignable(ctx, input.lessonSlug);
  if (input.dueAt && input.dueAt.getTime() <= input.opensAt.getTime()) {
    throw new DomainError("invalidInput", "The due date must come after the opening date", { key: "teach.errors.dueBeforeOpen" });
  }
  const where = { classId_lessonSlug: { classId: input.classId, lessonSlug: input.lessonSlug } };
  await ctx.db.$transaction(async (tx) => {
    await tx.lessonAssignment.upsert({
      where,
      create: { classId: input.classId, lessonSlug: input.lessonSlug, opensAt: input.opensAt, dueAt: input.dueAt, createdById: ctx.user.id },
      update: { opensAt: input.opensAt, dueAt: input.dueAt },
    });
    if (input.dueAt) await tx.lessonDeadline.upsert({ where, create: { classId: input.classId, lessonSlug: input.lessonSlug, dueAt: input.dueAt }, update: { dueAt: input.dueAt } });
    else await tx.lessonDeadline.deleteMany({ where: { classId: input.classId, lessonSlug: input.lessonSlug } });
  });
}

export async function unassign(ctx: SignedInContext, input: { lessonSlug: string; classId: string }): Promise<void> {
  await assertTeaches(ctx, input.classId);
  await ctx.db.$transaction([
    ctx.db.lessonAssignment.deleteMany({ where: { classId: input.classId, lessonSlug: input.lessonSlug } }),
    ctx.db.lessonDeadline.deleteMany({ where: { classId: input.classId, lessonSlug: input.lessonSlug } }),
  ]);
}

/** A lesson's assignments in the caller's classes (the assignment dialog). */
export async function assignmentsOf(ctx: SignedInContext, input: { lessonSlug: string }) {
  return ctx.db.lessonAssignment.findMany({
    where: { lessonSlug: input.lessonSlug, class: { instructorId: ctx.user.id } },
    select: { classId: true, opensAt: true, dueAt: true, class: { select: { name: true } } },
    orderBy: { opensAt: "asc" },
  });
}

export type AssignmentStatus = "notStarted" | "inProgress" | "done";

export interface MyAssignment {
  lessonSlug: string;
  title: string;
  className: string;
  classId: string;
  opensAt: Date;
  dueAt: Date | null;
  status: AssignmentStatus;
  /** Past the due date and not done. */
  overdue: boolean;
  /** Some graded submission came after the due date. */
  late: boolean;
  cellsRun: number;
  cellsTotal: number;
  exercisesPassed: number;
}

/** The student's open assignments, soonest due first (the home page). */
export async function myAssignments(ctx: SignedInContext, input: { locale: Locale }): Promise<MyAssignment[]> {
  const now = nowOf(ctx);
  const rows = await ctx.db.lessonAssignment.findMany({
    where: { opensAt: { lte: now }, class: { members: { some: { userId: ctx.user.id } } } },
    select: { lessonSlug: true, classId: true, opensAt: true, dueAt: true, class: { select: { name: true } } },
  });
  if (rows.length === 0) return [];
  const slugs = [...new Set(rows.map((r) => r.lessonSlug))];
  const [titles, progress, subs] = await Promise.all([
    lessonTitles(ctx, slugs, input.locale),
    ctx.db.lessonProgress.findMany({ where: { userId: ctx.user.id, lessonSlug: { in: slugs } }, select: { lessonSlug: true, cellsRun: true, cellsTotal: true } }),
    ctx.db.submission.findMany({ where: { userId: ctx.user.id, lessonSlug: { in: slugs } }, select: { lessonSlug: true, exerciseId: true, score: true, late: true } }),
  ]);
  const out: MyAssignment[] = [];
  for (const r of rows) {
    const t = titles.get(r.lessonSlug);
    if (!t) continue; // a lesson deleted or unpublished since
    const p = progress.find((x) => x.lessonSlug === r.lessonSlug);
    const mine = subs.filter((s) => s.lessonSlug === r.lessonSlug);
    const passed = new Set(mine.filter((s) => s.score >= 1).map((s) => s.exerciseId)).size;
    const cellsRun = p?.cellsRun ?? 0;
    const cellsTotal = p?.cellsTotal ?? 0;
    const done = cellsTotal > 0 && cellsRun >= cellsTotal && passed >= t.exercises;
    const status: AssignmentStatus = done ? "done" : cellsRun > 0 || mine.length > 0 ? "inProgress" : "notStarted";
    out.push({
      lessonSlug: r.lessonSlug,
      title: t.title,
      className: r.class.name,
      classId: r.classId,
      opensAt: r.opensAt,
      dueAt: r.dueAt,
      status,
      overdue: r.dueAt !== null && r.dueAt.getTime() < now.getTime() && status !== "done",
      late: mine.some((s) => s.late),
      cellsRun,
      cellsTotal,
      exercisesPassed: passed,
    });
  }
  return out.sort((a, b) => (a.dueAt?.getTime() ?? Infinity) - (b.dueAt?.getTime() ?? Infinity) || a.title.localeCompare(b.title));
}

export interface StudentLessonProgress {
  userId: string;
  name: string;
  cellsRun: number;
  cellsTotal: number;
  exercisesGraded: number;
  exercisesPassed: number;
  late: boolean;
  quizScore: number | null;
}

/** Per assigned lesson, each student's progress (the class page; the class's instructor only). */
export async function classAssignments(ctx: SignedInContext, input: { classId: string; locale: Locale }) {
  await assertTeaches(ctx, input.classId);
  const [rows, members] = await Promise.all([
    ctx.db.lessonAssignment.findMany({ where: { classId: input.classId }, select: { lessonSlug: true, opensAt: true, dueAt: true }, orderBy: [{ opensAt: "asc" }, { lessonSlug: "asc" }] }),
    ctx.db.membership.findMany({ where: { classId: input.classId }, select: { user: { select: { id: true, name: true } } }, orderBy: { joinedAt: "asc" } }),
  ]);
  const slugs = rows.map((r) => r.lessonSlug);
  const ids = members.map((m) => m.user.id);
  const [titles, progress, subs] = await Promise.all([
    lessonTitles(ctx, slugs, input.locale),
    ctx.db.lessonProgress.findMany({ where: { userId: { in: ids }, lessonSlug: { in: slugs } }, select: { userId: true, lessonSlug: true, cellsRun: true, cellsTotal: true, quizScore: true } }),
    ctx.db.submission.findMany({ where: { userId: { in: ids }, lessonSlug: { in: slugs } }, select: { userId: true, lessonSlug: true, exerciseId: true, score: true, late: true } }),
  ]);
  return rows.map((r) => ({
    lessonSlug: r.lessonSlug,
    title: titles.get(r.lessonSlug)?.title ?? r.lessonSlug,
    opensAt: r.opensAt,
    dueAt: r.dueAt,
    students: members.map(({ user }): StudentLessonProgress => {
      const p = progress.find((x) => x.userId === user.id && x.lessonSlug === r.lessonSlug);
      const mine = subs.filter((s) => s.userId === user.id && s.lessonSlug === r.lessonSlug);
      return {
        userId: user.id,
        name: user.name,
        cellsRun: p?.cellsRun ?? 0,
        cellsTotal: p?.cellsTotal ?? 0,
        exercisesGraded: new Set(mine.map((s) => s.exerciseId)).size,
        exercisesPassed: new Set(mine.filter((s) => s.score >= 1).map((s) => s.exerciseId)).size,
        late: mine.some((s) => s.late),
        quizScore: p?.quizScore ?? null,
      };
    }),
  }));
}
