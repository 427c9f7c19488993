// Email + password accounts with better-auth: scrypt-hashed passwords, httpOnly SameSite
// session cookies, database-backed rate limiting of sign-in and sign-up per client address.
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { env } from "@/lib/env";
import { db as defaultDb, type Db } from "@/lib/server/db";
import { CLIENT_IP_HEADER } from "@/lib/server/http/client-address";

export const ROLES = ["student", "instructor"] as const;
export type Role = (typeof ROLES)[number];

export function createAuth(
  db: Db,
  options: { baseURL?: string; secret?: string; provider?: "sqlite" | "postgresql"; signInRateLimit?: number } = {},
) {
  const baseURL = options.baseURL ?? env.CUADERNO_URL;
  const signInLimit = options.signInRateLimit ?? env.SIGNIN_RATE_LIMIT;
  return betterAuth({
    baseURL,
    secret: options.secret ?? env.BETTER_AUTH_SECRET,
    database: prismaAdapter(db, { provider: options.provider ?? env.databaseProvider }),
    emailAndPassword: {
      enabled: true,
      minPasswordLength: 8,
      maxPasswordLength: 128,
      autoSignIn: true,
    },
    user: {
      additionalFields: {
        role: { type: "string", required: false, defaultValue: "student", input: true },
        locale: { type: "string", required: false, defaultValue: "es", input: true },
      },
    },
    session: {
      expiresIn: 60 * 60 * 24 * 7,
      updateAge: 60 * 60 * 24,
    },
    rateLimit: {
      enabled: true,
      storage: "database",
      window: 60,
      max: 300,
      customRules: {
        "/sign-in/email": { window: 60, max: signInLimit },
        "/sign-up/email": { window: 60, max: signInLimit },
      },
    },
    advanced: {
      useSecureCookies: baseURL.startsWith("https://"),
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax" },
      // Only the address the server vouches for (lib/server/http/client-address.ts): forwarding
      // headers as a client sends them would let anyone pick the address a limit counts against.
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
    },
    trustedOrigins: [baseURL],
    databaseHooks: {
      user: {
        create: {
          // Only the two known roles may be chosen at sign-up; anything else is a student.
          before: async (user) => ({
            data: {
              ...user,
              role: ROLES.includes((user as { role?: Role }).role as Role) ? (user as { role?: Role }).role : "student",
              locale: (user as { locale?: string }).locale === "en" ? "en" : "es",
            },
          }),
        },
      },
    },
  });
}

export type Auth = ReturnType<typeof createAuth>;

const globalForAuth = globalThis as unknown as { cuadernoAuth?: Auth };
export const auth: Auth = globalForAuth.cuadernoAuth ?? createAuth(defaultDb);
globalForAuth.cuadernoAuth = auth;

export interface SessionUser {
  id: string;
  name: string;
  email: string;
  role: Role;
}

export async function getSessionUser(headers: Headers): Promise<SessionUser | null> {
  const session = await auth.api.getSession({ headers });
  if (!session) return null;
  const u = session.user as typeof session.user & { role?: string };
  return { id: u.id, name: u.name, email: u.email, role: u.role === "instructor" ? "instructor" : "student" };
}
