// tRPC over HTTP with bounds checked before tRPC reads anything: the body is read with a byte
// cap while streaming, its JSON nesting counted on the raw text, the batch size limited, and a
// cookie-carrying POST must be JSON from the app's own origin (as the MLflow REST API). A refused
// request still gets tRPC's error shape (the error is raised from createContext), so the client
// shows a message instead of failing to parse the response.
import { TRPCError } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { env } from "@/lib/env";
import { appRouter } from "@/lib/server/api/root";
import type { TRPCContext } from "@/lib/server/api/trpc";
import { DomainError } from "@/lib/server/errors";
import { jsonTextDepth } from "@/lib/server/json-limits";
import { BodyTooLargeError, readBodyText } from "@/lib/server/read-body";
import { crossSiteWriteProblem, originOf } from "@/lib/server/same-origin";
import { MAX_NOTEBOOK_BYTES } from "@/lib/server/services/notebooks";

export const TRPC_ENDPOINT = "/api/trpc";

export const TRPC_LIMITS = {
  /** The largest notebook document (saved through tRPC) plus room for the envelope and a batch. */
  maxBodyBytes: MAX_NOTEBOOK_BYTES + 1024 * 1024,
  /** Calls in one httpBatchLink request; components/providers.tsx sets the same maxItems. */
  maxBatchSize: 20,
  /** Nesting of the request JSON: batch → superjson → input → notebook → cell → outputs → data → value, with room for output data. */
  maxDepth: 64,
} as const;

export interface TrpcHandlerOptions {
  createContext: () => Promise<TRPCContext>;
  /** Default: env.CUADERNO_URL's origin. */
  appOrigin?: string;
}

const refuse = (code: "BAD_REQUEST" | "PAYLOAD_TOO_LARGE" | "FORBIDDEN" | "UNSUPPORTED_MEDIA_TYPE", message: string) =>
  new TRPCError({ code, message, cause: new DomainError(code === "FORBIDDEN" ? "forbidden" : "invalidInput", message) });

/** The request tRPC may read (the body already read and checked), or why it is refused. */
async function checkRequest(req: Request, appOrigin: string): Promise<{ req: Request; error: TRPCError | null }> {
  const empty = () => new Request(req.url, { method: req.method, headers: req.headers });
  const url = new URL(req.url);
  const at = url.pathname.indexOf(`${TRPC_ENDPOINT}/`);
  const paths = at < 0 ? "" : url.pathname.slice(at + TRPC_ENDPOINT.length + 1);
  if (url.searchParams.get("batch") === "1") {
    let calls = 1;
    for (let i = paths.indexOf(","); i >= 0; i = paths.indexOf(",", i + 1)) calls++;
    if (calls > TRPC_LIMITS.maxBatchSize) {
      await req.body?.cancel().catch(() => {});
      return { req: empty(), error: refuse("BAD_REQUEST", `A batch may hold at most ${TRPC_LIMITS.maxBatchSize} calls; this one has ${calls}`) };
    }
  }
  const tooDeep = (json: string) =>
    jsonTextDepth(json, TRPC_LIMITS.maxDepth) > TRPC_LIMITS.maxDepth ? refuse("BAD_REQUEST", `Request body is nested deeper than ${TRPC_LIMITS.maxDepth} levels`) : null;
  if (req.method !== "POST") {
    const input = url.searchParams.get("input");
    return { req, error: input ? tooDeep(input) : null };
  }
  if (req.headers.get("cookie")) {
    const problem = crossSiteWriteProblem(req, appOrigin, { requireJson: true });
    if (problem) {
      await req.body?.cancel().catch(() => {});
      return { req: empty(), error: refuse(problem.kind === "contentType" ? "UNSUPPORTED_MEDIA_TYPE" : "FORBIDDEN", problem.message) };
    }
  }
  let text: string;
  try {
    text = await readBodyText(req, TRPC_LIMITS.maxBodyBytes);
  } catch (e) {
    if (!(e instanceof BodyTooLargeError)) throw e;
    return { req: empty(), error: refuse("PAYLOAD_TOO_LARGE", `Request body exceeds ${TRPC_LIMITS.maxBodyBytes} bytes`) };
  }
  const error = tooDeep(text);
  return { req: error ? empty() : new Request(req.url, { method: "POST", headers: req.headers, body: text }), error };
}

export async function handleTrpcRequest(req: Request, opts: TrpcHandlerOptions): Promise<Response> {
  const checked = await checkRequest(req, opts.appOrigin ?? originOf(env.CUADERNO_URL));
  return fetchRequestHandler({
    endpoint: TRPC_ENDPOINT,
    req: checked.req,
    router: appRouter,
    createContext: () => {
      if (checked.error) throw checked.error;
      return opts.createContext();
    },
  });
}
