// tRPC's endpoint as a lean route: the same handler as app/api/trpc/[trpc]/route.ts (bounds,
// origin check, tRPC's fetch adapter), served without Next's request pipeline. Every procedure
// the browser calls — a grading Submit, a challenge submission, a leaderboard poll every second —
// costs what the procedure costs, not Next's routing on top of it (bench/grading.bench.ts).
import type { IncomingMessage, ServerResponse } from "node:http";
import { createTRPCContext, type TRPCContext } from "@/lib/server/api/trpc";
import { handleTrpcRequest, TRPC_ENDPOINT } from "@/lib/server/api/trpc-http";
import type { LeanHandler } from "./app-server";
import { sendResponse, toWebRequest, type HeaderList } from "./node-adapter";
import type { PrefixRoute } from "./router";

export interface TrpcRoutesOptions {
  /** Makes request URLs absolute (tRPC reads the path and query). */
  origin: string;
  securityHeaders: HeaderList;
  /** Default: the app's context (its database, better-auth's session); tests pass their own. */
  createContext?: (headers: Headers) => Promise<TRPCContext>;
}

export function trpcRoutes(opts: TrpcRoutesOptions): PrefixRoute<LeanHandler>[] {
  const createContext = opts.createContext ?? ((headers: Headers) => createTRPCContext({ headers }));
  const handler: LeanHandler = async (req: IncomingMessage, res: ServerResponse) => {
    const request = toWebRequest(req, opts.origin);
    const response = await handleTrpcRequest(request, { createContext: () => createContext(request.headers), appOrigin: opts.origin });
    await sendResponse(res, response, opts.securityHeaders, { close: !req.readableEnded && req.method !== "GET" && req.method !== "HEAD" });
  };
  return [{ prefix: `${TRPC_ENDPOINT}/`, handler }];
}
