// tRPC's HTTP endpoint; size, batch, nesting and origin checks live in lib/server/api/trpc-http.ts.
import { handleTrpcRequest } from "@/lib/server/api/trpc-http";
import { createTRPCContext } from "@/lib/server/api/trpc";

const handler = (req: Request) => handleTrpcRequest(req, { createContext: () => createTRPCContext({ headers: req.headers }) });

export { handler as GET, handler as POST };
