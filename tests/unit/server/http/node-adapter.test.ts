// The lean layer's Node request/response helpers against a real Node http server: a small body
// taken at once once buffered (the stream still ends, the connection stays open), anything else
// left to the stream reader; JSON replies with the route's headers and no setHeader.
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { readBodyText, readBufferedBody, sendJson } from "@/lib/server/http/node-adapter";

let server: Server | null = null;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

/** A server whose handler runs `handle` one microtask after the request arrives (as the serving route reads its body). */
async function serve(handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<number> {
  server = createServer((req, res) => void Promise.resolve().then(() => handle(req, res)));
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
  return (server!.address() as AddressInfo).port;
}

/** One request; the body written in one piece (with Content-Length) or in chunks (chunked encoding). */
function send(port: number, body: string | string[]): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  return new Promise((resolve, reject) => {
    const chunks = Array.isArray(body);
    const req = request({ port, host: "127.0.0.1", method: "POST", path: "/", headers: chunks ? {} : { "content-length": Buffer.byteLength(body) } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, text }));
    });
    req.on("error", reject);
    if (chunks) {
      for (const c of body) req.write(c);
      req.end();
    } else req.end(body);
  });
}

describe("readBufferedBody", () => {
  it("takes a small body with a Content-Length at once, and the request still ends", async () => {
    const seen: { text: string | null; ended: boolean }[] = [];
    const port = await serve((req, res) => {
      const body = readBufferedBody(req, 1024);
      req.on("end", () => {
        seen.push({ text: body?.toString("utf8") ?? null, ended: req.readableEnded });
        res.end("ok");
      });
    });
    const body = JSON.stringify({ instances: [[1.5, -2, 3e-7]] }) + "é";
    expect((await send(port, body)).text).toBe("ok");
    expect(seen).toEqual([{ text: body, ended: true }]);
  });

  it("leaves to the stream reader a chunked body and one over the limit, which then reads them whole", async () => {
    const results: (string | null)[] = [];
    const port = await serve(async (req, res) => {
      const now = readBufferedBody(req, 16);
      results.push(now === null ? await readBodyText(req, 1 << 20, () => {}) : `buffered:${now.toString("utf8")}`);
      res.end("ok");
    });
    await send(port, ["ab", "cd"]);
    await send(port, "x".repeat(40));
    expect(results).toEqual(["abcd", "x".repeat(40)]);
  });
});

describe("sendJson", () => {
  it("writes the defaults, the route's headers, type and length in one reply, closing when asked", async () => {
    const port = await serve((req, res) => {
      req.resume();
      void sendJson(res, 201, { ok: "sí" }, [["x-frame-options", "DENY"]], { headers: [["x-request-id", "abc"]], close: true });
    });
    const r = await send(port, "{}");
    expect(r.status).toBe(201);
    expect(JSON.parse(r.text)).toEqual({ ok: "sí" });
    expect(r.headers).toMatchObject({ "x-frame-options": "DENY", "x-request-id": "abc", "content-type": "application/json", "content-length": String(Buffer.byteLength(r.text)), connection: "close" });
  });
});
