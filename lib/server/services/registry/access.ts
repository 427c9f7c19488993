// Who may read and change a registered model, and how a name finds one. A model belongs to one
// user; its name is unique among that user's models. Its owner reads and writes it. The
// instructor of a class that one of its versions' runs is filed under reads it (as tracking lets
// an instructor read every run filed under a class they teach); nobody else sees it. Unreadable
// models are reported missing; readable ones a caller may not change, forbidden.
//
// Naming: to its owner a model is `name`; to another reader it is `<ownerId>/<name>` (names may
// not contain '/'), and that qualified name is what such a reader sends back to address it.
import type { Prisma } from "@/prisma/generated/sqlite/client";
import { DomainError } from "@/lib/server/errors";
import type { SignedInContext } from "@/lib/server/services/context";
import { REGISTRY_LIMITS } from "./values";

export function readableModelWhere(userId: string): Prisma.RegisteredModelWhereInput {
  return { OR: [{ ownerId: userId }, { versions: { some: { run: { class: { instructorId: userId } } } } }] };
}

export const modelNotFound = (name: string) =>
  new DomainError("notFound", `Registered Model with name=${name.slice(0, 300)} not found`, { key: "models.errors.modelNotFound", params: { model: name.slice(0, 300) } });

/** The name a caller sees (and sends back) for a model. */
export const displayName = (ctx: SignedInContext, m: { ownerId: string; name: string }): string =>
  m.ownerId === ctx.user.id ? m.name : `${m.ownerId}/${m.name}`;

/** The owner and plain name a requested name means for this caller. */
export function parseModelRef(ctx: SignedInContext, requested: unknown): { ownerId: string; name: string; requested: string } {
  if (requested === undefined || requested === null || requested === "") throw new DomainError("invalidInput", "Missing value for required parameter 'name'.");
  if (typeof requested !== "string") throw new DomainError("invalidInput", "Invalid value for parameter 'name': expected a string");
  if (requested.length > REGISTRY_LIMITS.nameLength * 2 + 1) throw modelNotFound(requested);
  const slash = requested.indexOf("/");
  if (slash < 0) return { ownerId: ctx.user.id, name: requested, requested };
  return { ownerId: requested.slice(0, slash), name: requested.slice(slash + 1), requested };
}

/** The model's id if the caller may read it; notFound otherwise. */
export async function readableModelIdOrThrow(ctx: SignedInContext, requested: unknown): Promise<{ id: string; ownerId: string; name: string }> {
  const ref = parseModelRef(ctx, requested);
  const row = await ctx.db.registeredModel.findFirst({
    where: { ownerId: ref.ownerId, name: ref.name, ...(ref.ownerId === ctx.user.id ? {} : readableModelWhere(ctx.user.id)) },
    select: { id: true, ownerId: true, name: true },
  });
  if (!row) throw modelNotFound(ref.requested);
  return row;
}

/** The model's id if the caller owns it; notFound when unreadable, forbidden when only readable. */
export async function writableModelIdOrThrow(ctx: SignedInContext, requested: unknown): Promise<{ id: string; ownerId: string; name: string }> {
  const row = await readableModelIdOrThrow(ctx, requested);
  if (row.ownerId !== ctx.user.id) throw new DomainError("forbidden", `Only the owner of registered model '${row.name}' may change it`);
  return row;
}
