// What every service receives: the database and the caller (null for guests).
import type { Db } from "@/lib/server/db";
import type { SessionUser } from "@/lib/server/auth";

export interface ServiceContext {
  db: Db;
  user: SessionUser | null;
}
export interface SignedInContext extends ServiceContext {
  user: SessionUser;
}
