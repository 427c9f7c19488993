// One Prisma client for the process: SQLite through better-sqlite3 by default, PostgreSQL
// through pg when DATABASE_URL is a postgres URL. Both clients come from the same schema.
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { mkdirSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { PrismaClient as SqliteClient } from "@/prisma/generated/sqlite/client";
import { PrismaClient as PostgresClient } from "@/prisma/generated/postgres/client";
import { env } from "@/lib/env";

/** The client type every service uses (identical model API for both providers). */
export type Db = InstanceType<typeof SqliteClient>;

export function sqlitePath(url: string): string {
  const p = url.replace(/^file:/, "");
  return isAbsolute(p) ? p : resolve(/*turbopackIgnore: true*/ process.cwd(), p);
}

const providers = new WeakMap<Db, "sqlite" | "postgresql">();
/** The SQL dialect behind a client (for the few raw statements that differ between the two). */
export function dbProvider(db: Db): "sqlite" | "postgresql" {
  const p = providers.get(db) ?? (db as unknown as { _activeProvider?: string })._activeProvider; // wrapped clients
  if (p !== "sqlite" && p !== "postgresql") throw new Error(`Unknown database provider: ${String(p)}`);
  return p;
}

/** Creates a client for a database URL (tests use this for their own databases). */
export function createDb(url: string): Db {
  if (/^postgres(ql)?:\/\//.test(url)) {
    const client = new PostgresClient({ adapter: new PrismaPg({ connectionString: url }) }) as unknown as Db;
    providers.set(client, "postgresql");
    return client;
  }
  const file = sqlitePath(url);
  mkdirSync(dirname(file), { recursive: true });
  const client = new SqliteClient({ adapter: new PrismaBetterSqlite3({ url: `file:${file}`, timeout: 5000 }) });
  providers.set(client, "sqlite");
  return client;
}

/**
 * Per-connection SQLite settings; WAL persists in the file, foreign keys must be set each time.
 * synchronous=NORMAL is WAL's usual partner: no fsync per commit, still consistent after a crash
 * (the last transactions may roll back on power loss, never corrupt).
 */
export async function configureSqlite(db: Db): Promise<void> {
  await db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  await db.$executeRawUnsafe("PRAGMA synchronous = NORMAL");
  await db.$executeRawUnsafe("PRAGMA foreign_keys = ON");
  await db.$executeRawUnsafe("PRAGMA busy_timeout = 5000");
}

const globalForDb = globalThis as unknown as { cuadernoDb?: Db; cuadernoDbReady?: Promise<void> };

export const db: Db = globalForDb.cuadernoDb ?? createDb(env.DATABASE_URL);
globalForDb.cuadernoDb = db;
globalForDb.cuadernoDbReady ??= env.databaseProvider === "sqlite" ? configureSqlite(db) : Promise.resolve();
export const dbReady = globalForDb.cuadernoDbReady;
