// Demo data for a fresh install: one instructor, two students, one class. Idempotent: a
// second run finds the accounts and changes nothing. Passwords are hashed by better-auth.
import { hashPassword } from "better-auth/crypto";
import { randomUUID } from "node:crypto";
import { configureSqlite, createDb, type Db } from "@/lib/server/db";
import { generateJoinCode } from "@/lib/server/services/classes/join-code";
import { databaseUrl } from "../scripts/runtime-env.mjs";

export const DEMO_ACCOUNTS = [
  { email: "docente@cuaderno.local", password: "cuaderno-docente", name: "Lucía Docente", role: "instructor" },
  { email: "ana@cuaderno.local", password: "cuaderno-ana", name: "Ana Estudiante", role: "student" },
  { email: "bruno@cuaderno.local", password: "cuaderno-bruno", name: "Bruno Estudiante", role: "student" },
] as const;
export const DEMO_CLASS_NAME = "MLOps — Demo";

async function ensureUser(db: Db, account: (typeof DEMO_ACCOUNTS)[number]): Promise<string> {
  const existing = await db.user.findUnique({ where: { email: account.email }, select: { id: true } });
  if (existing) return existing.id;
  const id = randomUUID();
  await db.user.create({
    data: {
      id,
      email: account.email,
      name: account.name,
      role: account.role,
      emailVerified: true,
      accounts: {
        create: { id: randomUUID(), accountId: id, providerId: "credential", password: await hashPassword(account.password) },
      },
    },
  });
  return id;
}

export async function seed(db: Db): Promise<{ joinCode: string }> {
  const ids: string[] = [];
  for (const account of DEMO_ACCOUNTS) ids.push(await ensureUser(db, account));
  const [teacher, ...students] = ids;
  let cls = await db.class.findFirst({ where: { instructorId: teacher, name: DEMO_CLASS_NAME }, select: { id: true, joinCode: true } });
  if (!cls) {
    cls = await db.class.create({
      data: { name: DEMO_CLASS_NAME, instructorId: teacher, joinCode: generateJoinCode() },
      select: { id: true, joinCode: true },
    });
    for (const userId of students) await db.membership.create({ data: { classId: cls.id, userId } });
  }
  return { joinCode: cls.joinCode };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const url = databaseUrl();
  const db = createDb(url);
  if (!/^postgres/.test(url)) await configureSqlite(db);
  const { joinCode } = await seed(db);
  await db.$disconnect();
  // npm start prints these logins; this list is their only source.
  const accounts = DEMO_ACCOUNTS.map(({ role, email, password }) => ({ role, email, password }));
  console.log(JSON.stringify({ joinCode, accounts }));
}
