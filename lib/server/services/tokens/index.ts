// Personal access tokens for the MLflow-style REST API. The secret is shown once at creation;
// only its SHA-256 and a short prefix are stored. A token always acts as its owner.
import * as nodeCrypto from "node:crypto";
import { createHash, randomBytes } from "node:crypto";
import type { Db } from "@/lib/server/db";
import type { SessionUser } from "@/lib/server/auth";
import { DomainError } from "@/lib/server/errors";
import type { SignedInContext } from "@/lib/server/services/context";
import { TtlCache } from "@/lib/server/ttl-cache";
import { processWide } from "@/lib/server/process-wide";

export const TOKEN_PREFIX = "cdn_";
const CACHE_TTL_MS = 10_000;
const LAST_USED_RESOLUTION_MS = 60_000;
const MAX_TOKENS_PER_USER = 20;

export interface TokenSummary {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}
export interface CreatedToken extends TokenSummary {
  /** The full secret; returned only here, never stored. */
  token: string;
}

// crypto.hash (Node ≥ 20.12): one call without a Hash object, a third of the CPU per bearer request.
const oneShotHash = (nodeCrypto as { hash?: (algorithm: string, data: string, encoding: "hex") => string }).hash;
export const hashToken: (token: string) => string = oneShotHash
  ? (token) => oneShotHash("sha256", token, "hex")
  : (token) => createHash("sha256").update(token).digest("hex");

const summarySelect = { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true, revokedAt: true } as const;

export async function createToken(ctx: SignedInContext, input: { name: string }): Promise<CreatedToken> {
  const name = input.name.trim();
  if (!name || name.length > 100) throw new DomainError("invalidInput", "Token name must have 1 to 100 characters");
  const active = await ctx.db.apiToken.count({ where: { userId: ctx.user.id, revokedAt: null } });
  if (active >= MAX_TOKENS_PER_USER) throw new DomainError("conflict", `At most ${MAX_TOKENS_PER_USER} active tokens`);
  const token = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  const row = await ctx.db.apiToken.create({
    data: { userId: ctx.user.id, name, tokenHash: hashToken(token), prefix: token.slice(0, TOKEN_PREFIX.length + 6) },
    select: summarySelect,
  });
  return { ...row, token };
}

export async function listTokens(ctx: SignedInContext): Promise<TokenSummary[]> {
  return ctx.db.apiToken.findMany({ where: { userId: ctx.user.id }, select: summarySelect, orderBy: { createdAt: "desc" } });
}

export async function revokeToken(ctx: SignedInContext, input: { id: string }): Promise<void> {
  const row = await ctx.db.apiToken.findFirst({ where: { id: input.id, userId: ctx.user.id }, select: { tokenHash: true, revokedAt: true } });
  if (!row) throw new DomainError("notFound");
  if (!row.revokedAt) await ctx.db.apiToken.update({ where: { id: input.id }, data: { revokedAt: new Date() } });
  cacheFor(ctx.db).invalidate(row.tokenHash);
}

// A brief in-memory cache keeps the REST hot path to zero token queries. Revocation in this
// process takes effect at once, also for requests already in flight (lib/server/ttl-cache); in
// another process within CACHE_TTL_MS. Tokens have no expiry date; a token whose owner is deleted
// goes with its row (cascade), and is refused here within CACHE_TTL_MS.
const caches = processWide("tokenCaches", () => new WeakMap<Db, TtlCache<string, SessionUser>>());
function cacheFor(db: Db): TtlCache<string, SessionUser> {
  let c = caches.get(db);
  if (!c) caches.set(db, (c = new TtlCache(CACHE_TTL_MS, 10_000)));
  return c;
}

/** The stored hash of a string shaped like one of our tokens; null for anything else (never looked up). */
function hashOfTokenShaped(token: string): string | null {
  return token.startsWith(TOKEN_PREFIX) && token.length <= 200 ? hashToken(token) : null;
}

/** authenticateToken's answer when the cache holds it (no query, no promise); undefined otherwise. */
export function cachedTokenUser(db: Db, token: string): SessionUser | undefined {
  const hash = hashOfTokenShaped(token);
  return hash === null ? undefined : cacheFor(db).get(hash);
}

/** The owner of a valid, unrevoked token, or null. */
export async function authenticateToken(db: Db, token: string): Promise<SessionUser | null> {
  const hash = hashOfTokenShaped(token);
  if (hash === null) return null;
  const cache = cacheFor(db);
  const hit = cache.get(hash);
  if (hit) return hit;
  const ticket = cache.ticket();
  const row = await db.apiToken.findUnique({
    where: { tokenHash: hash },
    select: { id: true, revokedAt: true, lastUsedAt: true, user: { select: { id: true, name: true, email: true, role: true } } },
  });
  if (!row || row.revokedAt) return null;
  const user: SessionUser = { id: row.user.id, name: row.user.name, email: row.user.email, role: row.user.role === "instructor" ? "instructor" : "student" };
  const now = Date.now();
  if (now - (row.lastUsedAt?.getTime() ?? 0) > LAST_USED_RESOLUTION_MS)
    await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date(now) }, select: { id: true } });
  cache.set(hash, user, ticket);
  return user;
}
