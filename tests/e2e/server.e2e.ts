// The server `npm start` runs (scripts/server.mjs), as the e2e webServer started it: the MLflow
// routes are answered by the lean layer with the security headers, pages still come from Next,
// and the client address is the server's to say. The sign-in limit (point 2 of issue 11) is
// checked on servers of its own, with the real limit of 10 (the shared e2e server runs with 1000):
// requests leave from distinct loopback addresses (127.0.0.2, …; Linux routes all of 127/8).
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { expect, test } from "@playwright/test";
// @ts-ignore plain ESM helper shared with the benchmarks: `node scripts/start.mjs` on its own port and database
import { startServer } from "../../bench/lib/server.mjs";

const base = process.env.E2E_BASE_URL!;
const PORT = Number(process.env.E2E_PORT ?? 3100);
// The build the e2e webServer already made (tests/playwright.config.ts).
const DIST_DIR = process.env.CUADERNO_DIST_DIR ?? (PORT === 3100 ? ".next" : `.next-e2e-${PORT}`);

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A request from a chosen local address (fetch cannot pick one, nor send X-Forwarded-For). */
function send(url: string, opts: { method?: string; from?: string; headers?: Record<string, string>; body?: unknown }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const req = httpRequest(
      url,
      {
        method: opts.method ?? (body ? "POST" : "GET"),
        localAddress: opts.from,
        agent: false,
        headers: { ...(body ? { "content-type": "application/json", origin: new URL(url).origin } : {}), ...opts.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

test("the MLflow API is answered by the lean layer with the security headers; pages still come from Next", async () => {
  const api = await send(`${base}/api/2.0/mlflow/runs/search`, { body: {} });
  expect(api.status).toBe(401);
  expect(JSON.parse(api.body)).toMatchObject({ error_code: "UNAUTHENTICATED" });
  expect(api.headers).toMatchObject({
    "content-type": "application/json",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "cross-origin-resource-policy": "same-origin",
    "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
  });
  // Next's own answers carry its Vary on RSC headers; the lean layer's never do.
  expect(api.headers.vary ?? "").not.toMatch(/rsc/i);

  const page = await send(`${base}/es`, {});
  expect(page.status).toBe(200);
  expect(page.headers["content-type"]).toMatch(/text\/html/);
  expect(page.headers.vary ?? "").toMatch(/rsc/i);
  expect(page.headers["x-frame-options"]).toBe("DENY");
  expect(page.body).toContain("<html");

  const ok = await send(`${base}/api/auth/ok`, {});
  expect(ok.status).toBe(200);
});

test("a session cookie signs MLflow calls in the lean layer (better-auth outside Next)", async () => {
  const signedIn = await send(`${base}/api/auth/sign-in/email`, { body: { email: "ana@cuaderno.local", password: "cuaderno-ana" } });
  expect(signedIn.status).toBe(200);
  const cookie = ([] as string[]).concat(signedIn.headers["set-cookie"] ?? []).map((c) => c.split(";")[0]).join("; ");
  expect(cookie).toMatch(/session_token=/);
  const created = await send(`${base}/api/2.0/mlflow/runs/create`, { headers: { cookie }, body: { run_name: "by-cookie-through-the-lean-layer" } });
  expect(created.status, created.body).toBe(200);
  expect(JSON.parse(created.body).run.info.run_name).toBe("by-cookie-through-the-lean-layer");
});

test.describe("the sign-in limit counts the address the server vouches for", () => {
  test.describe.configure({ timeout: 300_000 });
  const email = "ana@cuaderno.local"; // the demo student every fresh database gets
  const rightPassword = "cuaderno-ana";
  const signIn = (url: string, password: string, opts: { from?: string; forwardedFor?: string } = {}) =>
    send(`${url}/api/auth/sign-in/email`, { from: opts.from, headers: opts.forwardedFor ? { "x-forwarded-for": opts.forwardedFor } : {}, body: { email, password } });

  test.describe("with no trusted proxy (the default)", () => {
    let server: { url: string; stop(): Promise<void> };
    test.beforeAll(async () => {
      server = await startServer({ port: PORT + 1000, env: { SIGNIN_RATE_LIMIT: "10", CUADERNO_DIST_DIR: DIST_DIR, TRUSTED_PROXIES: "" } });
    });
    test.afterAll(async () => server?.stop());

    test("30 wrong passwords, each under a new X-Forwarded-For, get 429 after the limit", async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 30; i++) statuses.push((await signIn(server.url, "wrong-password", { from: "127.0.0.2", forwardedFor: `203.0.113.${i + 1}` })).status);
      expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
      expect(statuses.slice(10)).toEqual(Array(20).fill(429));
    });

    test("sign-up has the same limit", async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) {
        const r = await send(`${server.url}/api/auth/sign-up/email`, {
          from: "127.0.0.5",
          headers: { "x-forwarded-for": `198.51.100.${i + 1}` },
          body: { email: `limit.${Date.now()}.${i}@example.test`, password: "a-long-password", name: "Limit" },
        });
        statuses.push(r.status);
      }
      expect(statuses.slice(0, 10)).toEqual(Array(10).fill(200));
      expect(statuses.slice(10)).toEqual([429, 429]);
    });

    test("11 failures under someone else's forged address do not lock that person out", async () => {
      for (let i = 0; i < 11; i++) await signIn(server.url, "wrong-password", { from: "127.0.0.3", forwardedFor: "127.0.0.4" });
      expect((await signIn(server.url, "wrong-password", { from: "127.0.0.3" })).status).toBe(429);
      expect((await signIn(server.url, rightPassword, { from: "127.0.0.4" })).status).toBe(200);
    });
  });

  test.describe("with TRUSTED_PROXIES=127.0.0.1", () => {
    let server: { url: string; stop(): Promise<void> };
    test.beforeAll(async () => {
      server = await startServer({ port: PORT + 1001, env: { SIGNIN_RATE_LIMIT: "10", CUADERNO_DIST_DIR: DIST_DIR, TRUSTED_PROXIES: "127.0.0.1" } });
    });
    test.afterAll(async () => server?.stop());

    test("the proxy's X-Forwarded-For is honoured: each client behind it has its own limit", async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 11; i++) statuses.push((await signIn(server.url, "wrong-password", { from: "127.0.0.1", forwardedFor: "198.51.100.7" })).status);
      expect(statuses.at(-1)).toBe(429);
      expect((await signIn(server.url, rightPassword, { from: "127.0.0.1", forwardedFor: "198.51.100.8" })).status).toBe(200);
    });

    test("a client that is not the proxy cannot borrow another client's address", async () => {
      for (let i = 0; i < 11; i++) await signIn(server.url, "wrong-password", { from: "127.0.0.3", forwardedFor: "198.51.100.9" });
      expect((await signIn(server.url, rightPassword, { from: "127.0.0.1", forwardedFor: "198.51.100.9" })).status).toBe(200);
      expect((await signIn(server.url, rightPassword, { from: "127.0.0.3" })).status).toBe(429);
    });
  });
});
