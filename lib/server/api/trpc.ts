// tRPC setup: context (db + caller), error shape (a translatable `messageKey`), and the three
// procedure kinds: public, signed-in, instructor. Domain errors become tRPC errors here only.
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError } from "zod";
import { db as defaultDb, dbReady, type Db } from "@/lib/server/db";
import { getSessionUser, type SessionUser } from "@/lib/server/auth";
import { isDomainError, type DomainErrorCode } from "@/lib/server/errors";

export interface TRPCContext {
  db: Db;
  user: SessionUser | null;
  /** The clock services read (tests pass one; default: the real time). */
  now?: () => Date;
}

export async function createTRPCContext(opts: { headers: Headers }): Promise<TRPCContext> {
  await dbReady;
  return { db: defaultDb, user: await getSessionUser(opts.headers) };
}

const httpCodeFor: Record<DomainErrorCode, TRPCError["code"]> = {
  notFound: "NOT_FOUND",
  forbidden: "FORBIDDEN",
  unauthorized: "UNAUTHORIZED",
  invalidJoinCode: "BAD_REQUEST",
  alreadyMember: "CONFLICT",
  instructorCannotJoinOwnClass: "BAD_REQUEST",
  conflict: "CONFLICT",
  invalidInput: "BAD_REQUEST",
  rateLimited: "TOO_MANY_REQUESTS",
};

const keyForTrpcCode: Partial<Record<TRPCError["code"], string>> = {
  UNAUTHORIZED: "unauthorized",
  FORBIDDEN: "forbidden",
  NOT_FOUND: "notFound",
  TOO_MANY_REQUESTS: "rateLimited",
  CONFLICT: "conflict",
};

const t = initTRPC.context<TRPCContext>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const zod = error.cause instanceof ZodError ? error.cause : null;
    const domain = isDomainError(error.cause) ? error.cause.code : null;
    return {
      ...shape,
      data: {
        ...shape.data,
        stack: undefined,
        messageKey: zod ? "invalidInput" : (domain ?? keyForTrpcCode[error.code] ?? "unexpected"),
        fieldErrors: zod ? zod.flatten().fieldErrors : undefined,
        detail: isDomainError(error.cause) ? error.cause.detail : undefined,
      },
    };
  },
});

export const createCallerFactory = t.createCallerFactory;
export const router = t.router;

/** Turns domain errors thrown by services into tRPC errors, keeping the code for the UI. */
const domainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && isDomainError(result.error.cause)) {
    const cause = result.error.cause;
    throw new TRPCError({ code: httpCodeFor[cause.code], message: cause.message, cause });
  }
  return result;
});

export const publicProcedure = t.procedure.use(domainErrors);

export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first" });
  return next({ ctx: { ...ctx, user: ctx.user } });
});

export const instructorProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (ctx.user.role !== "instructor") throw new TRPCError({ code: "FORBIDDEN", message: "Instructors only" });
  return next({ ctx });
});
