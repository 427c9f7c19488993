// Who may do what with an authored lesson (issue 15 point 9): its author and the co-authors they
// invited edit it; students and instructors of the classes it is assigned to (once the assignment
// is open) read its published version; anyone else is told it does not exist.
import { DomainError } from "@/lib/server/errors";
import { nowOf, type ServiceContext, type SignedInContext } from "@/lib/server/services/context";

/** Authored lessons' slugs: "u-" + 10 base36 characters (built-in slugs never start with "u-"). */
export const AUTHORED_SLUG_RE = /^u-[a-z0-9]{10}$/;
export const isAuthoredSlug = (slug: string) => AUTHORED_SLUG_RE.test(slug);

export function newAuthoredSlug(): string {
  const bytes = new Uint8Array(10);
  globalThis.crypto.getRandomValues(bytes);
  return "u-" + Array.from(bytes, (b) => (b % 36).toString(36)).join("");
}

export interface LessonRow {
  id: string;
  slug: string;
  authorId: string;
  origin: string;
  draft: string;
  draftRevision: number;
  publishedVersion: number;
  createdAt: Date;
  updatedAt: Date;
}

export const lessonRowSelect = {
  id: true,
  slug: true,
  authorId: true,
  origin: true,
  draft: true,
  draftRevision: true,
  publishedVersion: true,
  createdAt: true,
  updatedAt: true,
} as const;

/** The lesson if the caller is its author or a co-author; otherwise notFound (no existence leak). */
export async function editableLessonOrThrow(ctx: SignedInContext, slug: string): Promise<LessonRow> {
  if (!isAuthoredSlug(slug)) throw new DomainError("notFound");
  const row = await ctx.db.authoredLesson.findFirst({
    where: { slug, deletedAt: null, OR: [{ authorId: ctx.user.id }, { coauthors: { some: { userId: ctx.user.id } } }] },
    select: lessonRowSelect,
  });
  if (!row) throw new DomainError("notFound");
  return row;
}

/**
 * Whether the caller may read the lesson's published version: an editor, or a student or
 * instructor of a class it is assigned to whose assignment has opened.
 */
export async function mayReadPublished(ctx: ServiceContext, lesson: { id: string; slug: string; authorId: string }): Promise<boolean> {
  const user = ctx.user;
  if (!user) return false;
  if (lesson.authorId === user.id) return true;
  const [coauthor, assigned] = await Promise.all([
    ctx.db.lessonCoauthor.findUnique({ where: { lessonId_userId: { lessonId: lesson.id, userId: user.id } }, select: { userId: true } }),
    ctx.db.lessonAssignment.findFirst({
      where: {
        lessonSlug: lesson.slug,
        opensAt: { lte: nowOf(ctx) },
        class: { OR: [{ instructorId: user.id }, { members: { some: { userId: user.id } } }] },
      },
      select: { id: true },
    }),
  ]);
  return Boolean(coauthor || assigned);
}
