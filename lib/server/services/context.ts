// What every service receives: the database and the caller (null for guests).
import type { Db } from "@/lib/server/db";
import type { SessionUser } from "@/lib/server/auth";

export interface ServiceContext {
  db: Db;
  user: SessionUser | null;
  /** The clock (tests inject one); read it through `nowOf(ctx)`. */
  now?: () => Date;
}

export const nowOf = (ctx: { now?: () => Date }): Date => (ctx.now ? ctx.now() : new Date());
export interface SignedInContext extends ServiceContext {
  user: SessionUser;
}
