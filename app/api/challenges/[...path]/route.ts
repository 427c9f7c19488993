// Model challenges REST (features/train CSV, submissions): lib/server/services/challenges/rest.ts.
export { challengesRoute as GET, challengesRoute as POST } from "@/lib/server/services/challenges/next-routes";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
