// Server components read the caller from the request's cookies through this helper.
import { headers } from "next/headers";
import { getSessionUser, type SessionUser } from "@/lib/server/auth";
import { dbReady } from "@/lib/server/db";

export async function getPageUser(): Promise<SessionUser | null> {
  await dbReady;
  return getSessionUser(await headers());
}
