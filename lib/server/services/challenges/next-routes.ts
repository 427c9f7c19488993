// The Next route handler of /api/challenges/…, wired to the process's database and session.
import { getSessionUser } from "@/lib/server/auth";
import { db, dbReady } from "@/lib/server/db";
import { handleChallengesRequest } from "./rest";

export async function challengesRoute(req: Request): Promise<Response> {
  await dbReady;
  return handleChallengesRequest(req, { db, sessionUser: getSessionUser });
}
