// Who may call a registered model's endpoint (issue 13 point 2's publish flag). Always: its owner,
// the registry's other readers (the instructor of a class one of its versions' runs is filed
// under) and the instructor of any class the owner is a student of. With visibility "class", also
// every member of a class the owner belongs to (as a student or as its instructor). Anyone else is
// answered as if the model did not exist (404).
import type { Prisma } from "@/prisma/generated/sqlite/client";
import { readableModelWhere } from "@/lib/server/services/registry/access";

export const VISIBILITIES = ["private", "class"] as const;
export type Visibility = (typeof VISIBILITIES)[number];

/** The models (other than the caller's own) whose endpoints and deployment history the caller oversees: instructors. */
export function overseenModelWhere(userId: string): Prisma.RegisteredModelWhereInput {
  return { OR: [readableModelWhere(userId), { owner: { memberships: { some: { class: { instructorId: userId } } } } }] };
}

/** The models (other than the caller's own) whose endpoints the caller may call. */
export function servableModelWhere(userId: string): Prisma.RegisteredModelWhereInput {
  const classmate: Prisma.ClassWhereInput = { OR: [{ members: { some: { userId } } }, { instructorId: userId }] };
  return {
    OR: [
      overseenModelWhere(userId),
      {
        endpoint: { visibility: "class" },
        owner: { OR: [{ memberships: { some: { class: classmate } } }, { taughtClasses: { some: { members: { some: { userId } } } } }] },
      },
    ],
  };
}
