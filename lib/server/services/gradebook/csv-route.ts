// GET /api/classes/<classId>/gradebook.csv[?locale=es|en]: the gradebook download for the class's
// instructor (session cookie). Anyone else gets the same 404 as for a class that does not exist.
import { contentDisposition } from "@/lib/gradebook/csv";
import type { SessionUser } from "@/lib/server/auth";
import type { Db } from "@/lib/server/db";
import { isDomainError } from "@/lib/server/errors";
import { gradebookCsvFile } from "./csv-export";

export interface CsvRouteDeps {
  db: Db;
  sessionUser(headers: Headers): Promise<SessionUser | null>;
}

const problem = (status: number, message: string) =>
  new Response(JSON.stringify({ error: message }), { status, headers: { "content-type": "application/json", "cache-control": "no-store" } });

export async function handleGradebookCsv(req: Request, classId: string, deps: CsvRouteDeps): Promise<Response> {
  const user = await deps.sessionUser(req.headers);
  if (!user) return problem(401, "Sign in first");
  if (!/^[\w-]{1,64}$/.test(classId) || user.role !== "instructor") return problem(404, "Not found");
  const asked = new URL(req.url).searchParams.get("locale");
  const locale = asked === "en" ? "en" : "es";
  try {
    const { fileName, text } = await gradebookCsvFile({ db: deps.db, user }, classId, { locale });
    return new Response(text, {
      status: 200,
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": contentDisposition(fileName),
        "cache-control": "private, no-store",
        "x-content-type-options": "nosniff",
      },
    });
  } catch (e) {
    if (isDomainError(e) && (e.code === "notFound" || e.code === "forbidden")) return problem(404, "Not found");
    throw e;
  }
}
