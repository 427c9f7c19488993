// The server `npm start` runs, minus Next: a real node:http server with the lean MLflow routes
// and a stand-in for Next's handler, over real sockets. Each lean prefix must be answered by the
// lean layer (the stand-in never sees it), with the security headers Next would have added;
// anything else must reach the fallback with the client address the server vouches for.
// (tests/e2e/server.e2e.ts checks the same against the real started server and Next.)
import { once } from "node:events";
import { createServer, request, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { send } from "./helpers/lean-http";
import { createTestDb, insertUser, testProviders, type TestDb } from "./helpers/test-db";
import { createRequestListener, createUpgradeListener } from "@/lib/server/http/app-server";
import { parseTrustedProxies, type TrustedProxies } from "@/lib/server/http/client-address";
import { mlflowRoutes } from "@/lib/server/http/mlflow-routes";
import { trpcRoutes } from "@/lib/server/http/trpc-routes";
import { leanSecurityHeaders } from "@/lib/server/http/security-headers";
import { DiskArtifactStore } from "@/lib/server/services/tracking/artifacts/store";
import { createToken } from "@/lib/server/services/tokens";
import type { SessionUser } from "@/lib/server/auth";

const fallbackSaw: { url: string; headers: IncomingHttpHeaders }[] = [];

async function listen(routes: ReturnType<typeof mlflowRoutes | typeof trpcRoutes>, trustedProxies: TrustedProxies): Promise<{ server: Server; port: number }> {
  const listener = createRequestListener({
    routes,
    trustedProxies,
    // The stand-in for Next: records what it was handed.
    fallback: async (req, res) => {
      fallbackSaw.push({ url: req.url!, headers: { ...req.headers } });
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<p>from Next</p>");
    },
  });
  const server = createServer(listener);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { server, port: (server.address() as AddressInfo).port };
}

describe.each(testProviders)("the lean HTTP layer on %s", (provider) => {
  let t: TestDb;
  let server: Server;
  let port: number;
  let token: string;
  let ana: SessionUser;
  let artifactDir: string;
  const sessionHeaders: Headers[] = [];

  beforeAll(async () => {
    t = await createTestDb(provider);
    ana = await insertUser(t.db, "student", "Ana");
    token = (await createToken({ db: t.db, user: ana }, { name: "cli" })).token;
    artifactDir = mkdtempSync(join(tmpdir(), "cuaderno-lean-artifacts-"));
    const securityHeaders = leanSecurityHeaders([
      { source: "/:path*", headers: [{ key: "X-Content-Type-Options", value: "nosniff" }, { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" }] },
    ]);
    const trpc = trpcRoutes({
      origin: "http://localhost:3000",
      securityHeaders,
      createContext: async (headers) => ({ db: t.db, user: headers.get("cookie") === "session=ana" ? ana : null }),
    });
    const routes = [...trpc, ...mlflowRoutes({
      db: t.db,
      store: new DiskArtifactStore(artifactDir),
      // The stand-in for better-auth: the cookie "session=ana" is Ana.
      sessionUser: async (headers) => {
        sessionHeaders.push(headers);
        return headers.get("cookie") === "session=ana" ? ana : null;
      },
      origin: "http://localhost:3000",
      securityHeaders,
    })];
    ({ server, port } = await listen(routes, parseTrustedProxies("")));
  });
  afterAll(async () => {
    server?.close();
    await t?.drop();
    if (artifactDir) rmSync(artifactDir, { recursive: true, force: true });
  });

  const auth = () => ({ authorization: `Bearer ${token}`, "content-type": "application/json" });

  it("answers /api/2.0/mlflow/ itself, with the security headers, and logs a metric", async () => {
    const before = fallbackSaw.length;
    const created = await send(port, "POST", "/api/2.0/mlflow/runs/create", { headers: auth(), body: JSON.stringify({ run_name: "lean" }) });
    expect(created.status).toBe(200);
    const runId = JSON.parse(created.body).run.info.run_id as string;
    const logged = await send(port, "POST", "/api/2.0/mlflow/runs/log-metric", { headers: auth(), body: JSON.stringify({ run_id: runId, key: "loss", value: 0.25, timestamp: 1, step: 3 }) });
    expect(logged).toMatchObject({ status: 200, body: "{}" });
    expect(logged.headers).toMatchObject({
      "content-type": "application/json",
      "content-length": "2",
      "x-content-type-options": "nosniff",
      "x-frame-options": "DENY",
      "cross-origin-resource-policy": "same-origin",
      "referrer-policy": "strict-origin-when-cross-origin",
      "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
    });
    const history = await send(port, "GET", `/api/2.0/mlflow/metrics/get-history?run_id=${runId}&metric_key=loss`, { headers: auth() });
    expect(JSON.parse(history.body).metrics).toMatchObject([{ key: "loss", value: 0.25, step: 3 }]);
    expect(await t.db.metric.count({ where: { runId } })).toBe(1);
    expect(fallbackSaw.length).toBe(before);
  });

  it("answers /api/trpc/ itself: a signed-in query, a guest refused, a cross-site cookie write refused, all in tRPC's shape", async () => {
    const before = fallbackSaw.length;
    const mine = await send(port, "GET", "/api/trpc/progress.mine", { headers: { cookie: "session=ana" } });
    expect(mine.status).toBe(200);
    expect(JSON.parse(mine.body)).toEqual({ result: { data: { json: [] } } });
    expect(mine.headers).toMatchObject({ "x-content-type-options": "nosniff", "content-security-policy": "default-src 'none'; frame-ancestors 'none'" });
    const guest = await send(port, "GET", "/api/trpc/progress.mine");
    expect(guest.status).toBe(401);
    expect(JSON.parse(guest.body).error.json.data.code).toBe("UNAUTHORIZED");
    const body = JSON.stringify({ json: { name: "Ajena" } });
    const crossSite = await send(port, "POST", "/api/trpc/classes.create", { headers: { cookie: "session=ana", "content-type": "application/json", origin: "http://evil.example" }, body });
    expect(crossSite.status).toBe(403);
    expect(JSON.parse(crossSite.body).error.json.data.code).toBe("FORBIDDEN");
    expect(await t.db.class.count({ where: { name: "Ajena" } })).toBe(0);
    expect(fallbackSaw.length).toBe(before);
  });

  it("answers /ajax-api/2.0/mlflow/ and /api/2.0/mlflow-artifacts/ itself", async () => {
    const before = fallbackSaw.length;
    const unauth = await send(port, "POST", "/ajax-api/2.0/mlflow/runs/create", { headers: { "content-type": "application/json" }, body: "{}" });
    expect(unauth.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(unauth.body)).toHaveProperty("error_code");

    const runId = JSON.parse((await send(port, "POST", "/api/2.0/mlflow/runs/create", { headers: auth(), body: "{}" })).body).run.info.run_id as string;
    const put = await send(port, "PUT", `/api/2.0/mlflow-artifacts/artifacts/${runId}/notes/readme.txt`, { headers: { authorization: `Bearer ${token}`, "content-type": "text/plain" }, body: "hola" });
    expect(put.status).toBe(200);
    const got = await send(port, "GET", `/api/2.0/mlflow-artifacts/artifacts/${runId}/notes/readme.txt`, { headers: { authorization: `Bearer ${token}` } });
    expect(got).toMatchObject({ status: 200, body: "hola" });
    // The download's own sandbox policy is kept; the other security headers are added.
    expect(got.headers["content-security-policy"]).toBe("sandbox; default-src 'none'");
    expect(got.headers["x-frame-options"]).toBe("DENY");
    expect(got.headers["cross-origin-resource-policy"]).toBe("same-origin");
    expect(fallbackSaw.length).toBe(before);
  });

  it("gzips a large reply when the client accepts it, as Next did, and leaves small ones alone", async () => {
    const runId = JSON.parse((await send(port, "POST", "/api/2.0/mlflow/runs/create", { headers: auth(), body: "{}" })).body).run.info.run_id as string;
    const metrics = Array.from({ length: 200 }, (_, i) => ({ key: "acc", value: i / 200, timestamp: 1000 + i, step: i }));
    const small = await send(port, "POST", "/api/2.0/mlflow/runs/log-batch", { headers: { ...auth(), "accept-encoding": "gzip" }, body: JSON.stringify({ run_id: runId, metrics }) });
    expect(small).toMatchObject({ status: 200, body: "{}" });
    expect(small.headers["content-encoding"]).toBeUndefined();
    const path = `/api/2.0/mlflow/metrics/get-history?run_id=${runId}&metric_key=acc`;
    const zipped = await send(port, "GET", path, { headers: { authorization: `Bearer ${token}`, "accept-encoding": "br, gzip;q=0.8" }, raw: true });
    expect(zipped.headers["content-encoding"]).toBe("gzip");
    expect(zipped.headers.vary).toBe("Accept-Encoding");
    expect(zipped.headers["x-frame-options"]).toBe("DENY");
    expect(JSON.parse(gunzipSync(zipped.bytes!).toString()).metrics).toHaveLength(200);
    for (const refused of [undefined, "identity", "gzip;q=0"]) {
      const plain = await send(port, "GET", path, { headers: { authorization: `Bearer ${token}`, ...(refused ? { "accept-encoding": refused } : {}) } });
      expect(plain.headers["content-encoding"]).toBeUndefined();
      expect(JSON.parse(plain.body).metrics).toHaveLength(200);
    }
  });

  it("authenticates a session cookie through the sessionUser it was given, with a real Headers", async () => {
    const res = await send(port, "POST", "/api/2.0/mlflow/runs/create", { headers: { cookie: "session=ana", "content-type": "application/json", origin: "http://localhost:3000" }, body: JSON.stringify({ run_name: "by-cookie" }) });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).run.info.run_name).toBe("by-cookie");
    expect(sessionHeaders.at(-1)).toBeInstanceOf(Headers);
  });

  it("refuses a body over the limit with a 400 without reading it all, and closes the connection", async () => {
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    const res = await send(port, "POST", "/api/2.0/mlflow/runs/create", { headers: auth(), chunked: Array.from({ length: 12 }, () => chunk) });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ error_code: "INVALID_PARAMETER_VALUE" });
    expect(res.headers.connection).toBe("close");
  });

  it("hands every other path to the fallback with the socket's address, forged headers removed", async () => {
    const forged = { "x-forwarded-for": "198.51.100.9", "x-real-ip": "198.51.100.9", forwarded: "for=198.51.100.9", "x-forwarded-host": "evil.example", "x-forwarded-proto": "https", "x-forwarded-port": "443" };
    const res = await send(port, "GET", "/es/courses?x=1", { headers: { ...forged, "x-cuaderno-client-ip": "198.51.100.9" } });
    expect(res).toMatchObject({ status: 200, body: "<p>from Next</p>" });
    const saw = fallbackSaw.at(-1)!;
    expect(saw.url).toBe("/es/courses?x=1");
    expect(saw.headers["x-cuaderno-client-ip"]).toBe("127.0.0.1");
    for (const name of Object.keys(forged)) expect(saw.headers).not.toHaveProperty(name);
    // Near misses of a lean prefix are Next's too.
    for (const path of ["/api/2.0/mlflowx/runs/create", "/api/2.0/mlflow", "/api/auth/ok", "/API/2.0/mlflow/runs/create"]) {
      await send(port, "GET", path);
      expect(fallbackSaw.at(-1)!.url).toBe(path);
    }
  });

  it("routes an upgrade on a lean upgrade prefix, with the stamped client address", async () => {
    const seen: (string | undefined)[] = [];
    const upgrades = createServer();
    upgrades.on(
      "upgrade",
      createUpgradeListener({
        trustedProxies: parseTrustedProxies(""),
        upgrades: [{ prefix: "/live/", handler: (req, socket) => (seen.push(req.headers["x-cuaderno-client-ip"] as string), socket.end("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: test\r\n\r\n")) }],
      }),
    );
    upgrades.listen(0, "127.0.0.1");
    await once(upgrades, "listening");
    try {
      const { port: p } = upgrades.address() as AddressInfo;
      const req = request({ host: "127.0.0.1", port: p, path: "/live/quiz/1", headers: { connection: "Upgrade", upgrade: "test", "x-cuaderno-client-ip": "6.6.6.6" } });
      req.end();
      const [res] = (await once(req, "upgrade")) as [import("node:http").IncomingMessage];
      expect(res.statusCode).toBe(101);
      expect(seen).toEqual(["127.0.0.1"]);
    } finally {
      upgrades.close();
    }
  });

  it("believes X-Forwarded-For from a trusted proxy only", async () => {
    for (const [list, forwarded, client] of [
      ["127.0.0.1", "1.1.1.1, 203.0.113.50", "203.0.113.50"],
      ["10.0.0.0/8", "203.0.113.50", "127.0.0.1"],
    ] as const) {
      const proxied = await listen([], parseTrustedProxies(list));
      try {
        await send(proxied.port, "GET", "/es", { headers: { "x-forwarded-for": forwarded, "x-forwarded-proto": "https", "x-cuaderno-client-ip": "1.1.1.1" } });
        expect(fallbackSaw.at(-1)!.headers["x-cuaderno-client-ip"]).toBe(client);
        // A trusted proxy's own forwarding headers stay for Next; anyone else's go.
        expect(fallbackSaw.at(-1)!.headers["x-forwarded-proto"]).toBe(client === "127.0.0.1" ? undefined : "https");
      } finally {
        proxied.server.close();
      }
    }
  });
});
