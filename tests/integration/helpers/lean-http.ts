// A real node:http server with lean routes (lib/server/http) and a plain client for it, shared by
// the integration tests of the lean layer (MLflow REST, tRPC, model serving). node:http rather than
// fetch: the tests set headers fetch forbids, stream chunked bodies and read `connection`.
import { once } from "node:events";
import { createServer, request, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequestListener, type AppServerOptions } from "@/lib/server/http/app-server";
import { parseTrustedProxies } from "@/lib/server/http/client-address";
import { leanSecurityHeaders } from "@/lib/server/http/security-headers";

/** The app origin the tests' routes are built for (cookie writes must come from it). */
export const TEST_ORIGIN = "http://localhost:3000";

/** The security headers the lean layer adds, from a minimal next.config rule. */
export const testSecurityHeaders = () => leanSecurityHeaders([{ source: "/:path*", headers: [{ key: "X-Content-Type-Options", value: "nosniff" }] }]);

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** The raw bytes, when asked for with `raw`. */
  bytes?: Buffer;
}

export interface SendOptions {
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Written one chunk at a time, without a Content-Length; the server may stop reading early. */
  chunked?: Buffer[];
  raw?: boolean;
}

export function send(port: number, method: string, path: string, opts: SendOptions = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    // An explicit length: Node sends a DELETE's body without one otherwise.
    const length = opts.body === undefined || opts.chunked ? {} : { "content-length": String(Buffer.byteLength(opts.body)) };
    const req = request({ host: "127.0.0.1", port, method, path, headers: { ...length, ...opts.headers }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const bytes = Buffer.concat(chunks);
        resolve({ status: res.statusCode!, headers: res.headers, body: bytes.toString("utf8"), ...(opts.raw ? { bytes } : {}) });
      });
    });
    req.on("error", reject);
    if (opts.chunked) {
      const write = (i: number) => (i < opts.chunked!.length && !req.destroyed ? req.write(opts.chunked![i], () => write(i + 1)) : req.end());
      write(0);
    } else req.end(opts.body);
  });
}

/** Listens on a free port with `routes`; anything else gets a 404 "next" unless a fallback is given. */
export async function listenLean(
  routes: AppServerOptions["routes"],
  opts: { fallback?: AppServerOptions["fallback"]; trustedProxies?: string } = {},
): Promise<{ server: Server; port: number }> {
  const listener = createRequestListener({
    routes,
    trustedProxies: parseTrustedProxies(opts.trustedProxies ?? ""),
    fallback:
      opts.fallback ??
      (async (_req, res) => {
        res.writeHead(404);
        res.end("next");
      }),
  });
  const server = createServer(listener);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { server, port: (server.address() as AddressInfo).port };
}
