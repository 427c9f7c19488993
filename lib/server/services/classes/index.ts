// Classes: an instructor creates one and shares its join code; students join with it.
// Every function checks that the caller may touch the class it names.
import { DomainError } from "@/lib/server/errors";
import type { SignedInContext } from "@/lib/server/services/context";
import { generateJoinCode, isWellFormedJoinCode, normalizeJoinCode } from "./join-code";

export interface ClassSummary {
  id: string;
  name: string;
  role: "instructor" | "student";
  instructorName: string;
  memberCount: number;
  joinCode: string | null; // only for the class's instructor
  createdAt: Date;
}

const summarySelect = {
  id: true,
  name: true,
  joinCode: true,
  instructorId: true,
  createdAt: true,
  instructor: { select: { name: true } },
  _count: { select: { members: true } },
} as const;

type ClassRow = {
  id: string;
  name: string;
  joinCode: string;
  instructorId: string;
  createdAt: Date;
  instructor: { name: string };
  _count: { members: number };
};

function toSummary(row: ClassRow, userId: string): ClassSummary {
  const isInstructor = row.instructorId === userId;
  return {
    id: row.id,
    name: row.name,
    role: isInstructor ? "instructor" : "student",
    instructorName: row.instructor.name,
    memberCount: row._count.members,
    joinCode: isInstructor ? row.joinCode : null,
    createdAt: row.createdAt,
  };
}

async function uniqueJoinCode(ctx: SignedInContext): Promise<string> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const code = generateJoinCode();
    const taken = await ctx.db.class.findUnique({ where: { joinCode: code }, select: { id: true } });
    if (!taken) return code;
  }
  throw new Error("Could not find a free join code");
}

export async function createClass(ctx: SignedInContext, input: { name: string }): Promise<ClassSummary> {
  if (ctx.user.role !== "instructor") throw new DomainError("forbidden");
  const row = await ctx.db.class.create({
    data: { name: input.name.trim(), joinCode: await uniqueJoinCode(ctx), instructorId: ctx.user.id },
    select: summarySelect,
  });
  return toSummary(row, ctx.user.id);
}

export async function listMyClasses(ctx: SignedInContext): Promise<ClassSummary[]> {
  const rows = await ctx.db.class.findMany({
    where: { OR: [{ instructorId: ctx.user.id }, { members: { some: { userId: ctx.user.id } } }] },
    select: summarySelect,
    orderBy: { createdAt: "desc" },
  });
  return rows.map((r) => toSummary(r, ctx.user.id));
}

/** The class if the caller teaches it or belongs to it; otherwise notFound (no existence leak). */
export async function getClassForMember(ctx: SignedInContext, classId: string): Promise<ClassSummary> {
  const row = await ctx.db.class.findFirst({
    where: {
      id: classId,
      OR: [{ instructorId: ctx.user.id }, { members: { some: { userId: ctx.user.id } } }],
    },
    select: summarySelect,
  });
  if (!row) throw new DomainError("notFound");
  return toSummary(row, ctx.user.id);
}

/**
 * The class a lesson's runs are filed under: the one asked for (a `?class=` link from the class
 * page) when the caller teaches or belongs to it, else the class the student joined last; null
 * when there is none (runs then go to the caller's own lesson experiment). Never throws: an
 * unknown or foreign class id is simply not used.
 */
export async function lessonClassFor(ctx: SignedInContext, requested?: string | null): Promise<{ id: string; name: string } | null> {
  if (requested && /^[\w-]{1,64}$/.test(requested)) {
    const cls = await ctx.db.class.findFirst({
      where: { id: requested, OR: [{ instructorId: ctx.user.id }, { members: { some: { userId: ctx.user.id } } }] },
      select: { id: true, name: true },
    });
    if (cls) return cls;
  }
  const latest = await ctx.db.membership.findFirst({
    where: { userId: ctx.user.id },
    orderBy: [{ joinedAt: "desc" }, { id: "desc" }],
    select: { class: { select: { id: true, name: true } } },
  });
  return latest?.class ?? null;
}

/** Throws unless the caller is the class's instructor. */
export async function assertTeaches(ctx: SignedInContext, classId: string): Promise<void> {
  const row = await ctx.db.class.findFirst({ where: { id: classId, instructorId: ctx.user.id }, select: { id: true } });
  if (!row) throw new DomainError("notFound");
}

/** Throws unless the caller teaches or belongs to the class. */
export async function assertMemberOrInstructor(ctx: SignedInContext, classId: string): Promise<"instructor" | "student"> {
  return (await getClassForMember(ctx, classId)).role;
}

export interface RosterEntry {
  userId: string;
  name: string;
  email: string;
  joinedAt: Date;
}

export async function roster(ctx: SignedInContext, classId: string): Promise<RosterEntry[]> {
  await assertTeaches(ctx, classId);
  const members = await ctx.db.membership.findMany({
    where: { classId },
    select: { joinedAt: true, user: { select: { id: true, name: true, email: true } } },
    orderBy: { user: { name: "asc" } },
  });
  return members.map((m) => ({ userId: m.user.id, name: m.user.name, email: m.user.email, joinedAt: m.joinedAt }));
}

export async function joinClass(ctx: SignedInContext, input: { code: string }): Promise<ClassSummary> {
  const code = normalizeJoinCode(input.code);
  if (!isWellFormedJoinCode(code)) throw new DomainError("invalidJoinCode");
  const target = await ctx.db.class.findUnique({ where: { joinCode: code }, select: { id: true, instructorId: true } });
  if (!target) throw new DomainError("invalidJoinCode");
  if (target.instructorId === ctx.user.id) throw new DomainError("instructorCannotJoinOwnClass");
  const existing = await ctx.db.membership.findUnique({
    where: { classId_userId: { classId: target.id, userId: ctx.user.id } },
    select: { id: true },
  });
  if (existing) throw new DomainError("alreadyMember");
  await ctx.db.membership.create({ data: { classId: target.id, userId: ctx.user.id } });
  return getClassForMember(ctx, target.id);
}

export async function removeStudent(ctx: SignedInContext, input: { classId: string; userId: string }): Promise<void> {
  await assertTeaches(ctx, input.classId);
  const { count } = await ctx.db.membership.deleteMany({ where: { classId: input.classId, userId: input.userId } });
  if (count === 0) throw new DomainError("notFound");
}

export async function rotateJoinCode(ctx: SignedInContext, classId: string): Promise<{ joinCode: string }> {
  await assertTeaches(ctx, classId);
  const joinCode = await uniqueJoinCode(ctx);
  await ctx.db.class.update({ where: { id: classId }, data: { joinCode } });
  return { joinCode };
}

export async function leaveClass(ctx: SignedInContext, classId: string): Promise<void> {
  const { count } = await ctx.db.membership.deleteMany({ where: { classId, userId: ctx.user.id } });
  if (count === 0) throw new DomainError("notFound");
}
