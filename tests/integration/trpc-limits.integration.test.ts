// tRPC over HTTP refuses what it cannot handle safely before any procedure runs: bodies over the
// cap (read with a streaming limit), JSON nested too deep, oversized batches, and cookie POSTs
// from another origin. The notebook service bounds a document's nesting itself as well.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, insertUser, testProviders, type TestDb } from "./helpers/test-db";
import type { SessionUser } from "@/lib/server/auth";
import { handleTrpcRequest, TRPC_LIMITS } from "@/lib/server/api/trpc-http";
import { createCaller } from "@/lib/server/api/root";
import { MAX_NOTEBOOK_BYTES } from "@/lib/server/services/notebooks";

const APP = "https://cuaderno.example";

const doc = (metadata: unknown = { collapsed: false }, source = "1 + 1") => ({
  format: 1,
  metadata: { title: "Scratch" },
  cells: [{ id: "c1", kind: "code", source, outputs: [], metadata }],
});
/** `{"a":{"a":...}}` nested `depth` levels as JSON text (JSON.stringify itself would overflow). */
const deepObjectJson = (depth: number) => '{"a":'.repeat(depth) + "1" + "}".repeat(depth);

describe.each(testProviders)("tRPC request limits on %s", (provider) => {
  let t: TestDb;
  let ana: SessionUser;

  async function post(paths: string, body: BodyInit | null, headers: Record<string, string> = {}, batch = false) {
    const url = `http://localhost/api/trpc/${paths}${batch ? "?batch=1" : ""}`;
    const req = new Request(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body, duplex: "half" } as RequestInit);
    const res = await handleTrpcRequest(req, { createContext: async () => ({ db: t.db, user: ana }), appOrigin: APP });
    const text = await res.text();
    return { status: res.status, json: JSON.parse(text) as any };
  }
  const createScratchBody = (content: unknown) => JSON.stringify({ json: { title: "Scratch", content } });
  const notebooks = () => t.db.notebook.count();

  beforeAll(async () => {
    t = await createTestDb(provider);
    ana = await insertUser(t.db, "student", "Ana");
  });
  afterAll(async () => t?.drop());

  it("notebooks.createScratch with cell metadata nested 20,000 deep is a clear 400, and nothing is saved", async () => {
    const raw = createScratchBody(doc("__DEEP__")).replace('"__DEEP__"', deepObjectJson(20_000));
    const r = await post("notebooks.createScratch", raw);
    expect(r.status).toBe(400);
    expect(r.json.error.json).toMatchObject({ message: `Request body is nested deeper than ${TRPC_LIMITS.maxDepth} levels`, data: { code: "BAD_REQUEST", messageKey: "invalidInput" } });
    expect(await notebooks()).toBe(0);

    const ok = await post("notebooks.createScratch", createScratchBody(doc({ tags: ["a"], nested: { a: { b: [1] } } })));
    expect(ok.status).toBe(200);
    expect(await notebooks()).toBe(1);
  });

  it("the notebook service bounds a document's nesting too (a caller that is not HTTP gets a 400, not a stack overflow)", async () => {
    const caller = createCaller({ db: t.db, user: ana });
    const before = await notebooks();
    for (const depth of [100, 20_000]) {
      const metadata = JSON.parse(deepObjectJson(depth));
      await expect(caller.notebooks.createScratch({ title: "deep", content: doc(metadata) })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/nested deeper than 60 levels/) });
    }
    expect(await notebooks()).toBe(before);
  });

  it("a 30 MB body is refused with a 413 after reading only up to the cap", async () => {
    const before = await notebooks();
    let pulled = 0;
    const chunk = new TextEncoder().encode(" ".repeat(1024 * 1024));
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"json":{"title":"big","content":"'));
      },
      pull(controller) {
        if (pulled >= 30) return controller.close();
        pulled++;
        controller.enqueue(chunk);
      },
    });
    const r = await post("notebooks.createScratch", body);
    expect(r.status).toBe(413);
    expect(r.json.error.json.message).toBe(`Request body exceeds ${TRPC_LIMITS.maxBodyBytes} bytes`);
    expect(pulled).toBeLessThan(30);
    expect(pulled).toBeLessThanOrEqual(Math.ceil(TRPC_LIMITS.maxBodyBytes / chunk.length) + 2);
    expect(await notebooks()).toBe(before);
  });

  it("the cap is above the largest notebook the service accepts", async () => {
    expect(TRPC_LIMITS.maxBodyBytes).toBeGreaterThan(MAX_NOTEBOOK_BYTES + 64 * 1024);
    const big = doc({}, "x".repeat(MAX_NOTEBOOK_BYTES - 2048)); // just under the document limit
    const r = await post("notebooks.createScratch", createScratchBody(big));
    expect(r.status).toBe(200);
  });

  it("a batch of more than 20 calls is refused with a clear 400; 20 go through", async () => {
    const before = await notebooks();
    const batch = (n: number) => [Array.from({ length: n }, () => "notebooks.createScratch").join(","), JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [i, { json: { title: `n${i}`, content: doc() } }])))] as const;
    const [paths21, body21] = batch(21);
    const refused = await post(paths21, body21, {}, true);
    expect(refused.status).toBe(400);
    expect(refused.json).toHaveLength(21);
    expect(refused.json[0].error.json.message).toBe("A batch may hold at most 20 calls; this one has 21");
    expect(await notebooks()).toBe(before);
    const [paths20, body20] = batch(20);
    const ok = await post(paths20, body20, {}, true);
    expect(ok.status).toBe(200);
    expect(await notebooks()).toBe(before + 20);
  });

  it("a cookie POST must be JSON from the app's origin", async () => {
    const before = await notebooks();
    const body = createScratchBody(doc());
    const sibling = await post("notebooks.createScratch", body, { cookie: "s=1", origin: "https://evil.cuaderno.example" });
    expect(sibling.status).toBe(403);
    const smuggled = await post("notebooks.createScratch", body, { cookie: "s=1", origin: "https://evil.cuaderno.example", "content-type": "text/plain; x=application/json" });
    expect(smuggled.status).toBe(415);
    const form = await post("notebooks.createScratch", body, { cookie: "s=1", origin: APP, "content-type": "multipart/form-data; boundary=x" });
    expect(form.status).toBe(415);
    expect(await notebooks()).toBe(before);
    expect((await post("notebooks.createScratch", body, { cookie: "s=1", origin: APP })).status).toBe(200);
    expect((await post("notebooks.createScratch", body, { cookie: "s=1", "sec-fetch-site": "same-origin" })).status).toBe(200);
  });
});
