// The class gradebook for its instructor, and a student's own grades. Access is decided here:
// the instructor of the class sees every member; a student sees only their own row.
import { buildGradebook, type Gradebook } from "@/lib/gradebook/build";
import type { GradeCell, StudentTotal } from "@/lib/gradebook/grades";
import type { GradeItem } from "@/lib/gradebook/items";
import type { Db } from "@/lib/server/db";
import type { SignedInContext } from "@/lib/server/services/context";
import { assertTeaches } from "@/lib/server/services/classes";
import { readGradebookRows, type ReadOptions, type StudentRef } from "./read-rows";

export interface ClassGradebook extends Gradebook {
  classId: string;
  className: string;
  timeZone: string;
}

export async function classStudents(db: Db, classId: string): Promise<StudentRef[]> {
  const rows = await db.membership.findMany({
    where: { classId },
    select: { user: { select: { id: true, name: true, email: true } } },
    orderBy: [{ user: { name: "asc" } }, { userId: "asc" }],
  });
  return rows.map((r) => r.user);
}

/** Every member × every item, with override histories. Instructor of the class only. */
export async function classGradebook(ctx: SignedInContext, classId: string, options: ReadOptions): Promise<ClassGradebook> {
  await assertTeaches(ctx, classId);
  const cls = await ctx.db.class.findUniqueOrThrow({ where: { id: classId }, select: { name: true, timeZone: true } });
  const students = await classStudents(ctx.db, classId);
  const book = buildGradebook(await readGradebookRows(ctx.db, classId, students, options), { withHistory: true });
  return { ...book, classId, className: cls.name, timeZone: cls.timeZone };
}

export interface MyClassGrades {
  classId: string;
  className: string;
  timeZone: string;
  items: GradeItem[];
  cells: Record<string, GradeCell>;
  total: StudentTotal;
  deadlines: { lessonSlug: string; dueAt: Date }[];
}

/** The caller's own grades in every class they belong to; nobody else's row is ever read. */
export async function myGrades(ctx: SignedInContext, options: ReadOptions): Promise<MyClassGrades[]> {
  const memberships = await ctx.db.membership.findMany({
    where: { userId: ctx.user.id },
    select: { class: { select: { id: true, name: true, timeZone: true } } },
    orderBy: [{ joinedAt: "desc" }, { id: "desc" }],
  });
  const me: StudentRef = { id: ctx.user.id, name: ctx.user.name, email: ctx.user.email };
  const out: MyClassGrades[] = [];
  for (const { class: cls } of memberships) {
    const book = buildGradebook(await readGradebookRows(ctx.db, cls.id, [me], options));
    const row = book.students[0]!;
    out.push({ classId: cls.id, className: cls.name, timeZone: cls.timeZone, items: book.items, cells: row.cells, total: row.total, deadlines: book.deadlines });
  }
  return out;
}
