// Node's http request/response ↔ what the services speak, for the lean routes. The hot JSON
// path builds no Web Request, Headers, body stream or Response per request (together ~50-80 µs
// of CPU here): a view over IncomingMessage serves the few things the MLflow handler reads, and
// its plain reply is written with one JSON.stringify. Routes that need the full Web API (the
// artifact proxy: binary bodies, downloads) get a real Request and have their Response streamed.
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import { BodyTooLargeError } from "@/lib/server/read-body";

/** The read side of Headers over Node's parsed headers (names already lowercase). */
export class NodeHeaders {
  constructor(private readonly raw: IncomingHttpHeaders) {}

  get(name: string): string | null {
    const v = this.raw[name.toLowerCase()];
    return v === undefined ? null : Array.isArray(v) ? v.join(", ") : v;
  }

  has(name: string): boolean {
    return this.raw[name.toLowerCase()] !== undefined;
  }

  /** A real Headers copy, for code that needs one (better-auth's session lookup). */
  toWeb(): Headers {
    return webHeaders(this.raw);
  }

  /** Typed as the Headers the services take: they call get() (and has()) on it, nothing else. */
  asHeaders(): Headers {
    return this as unknown as Headers;
  }
}

/** A real Headers copy of a request's headers. */
export function webHeaders(raw: IncomingHttpHeaders): Headers {
  const h = new Headers();
  for (const [k, v] of Object.entries(raw)) {
    if (v === undefined || k.startsWith(":")) continue;
    if (Array.isArray(v)) for (const x of v) h.append(k, x);
    else h.set(k, v);
  }
  return h;
}

/**
 * The request body as UTF-8 text, read up to `maxBytes`: past it, reading stops and this throws
 * BodyTooLargeError (the services answer 400), `onOverflow` is called so the response can close
 * the connection instead of draining the rest. A declared Content-Length over the limit is
 * refused before anything is read. One chunk, the usual case for small JSON, is not copied.
 */
export function readBodyText(req: IncomingMessage, maxBytes: number, onOverflow: () => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > maxBytes) {
      onOverflow();
      return reject(new BodyTooLargeError(maxBytes));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > maxBytes) {
        req.off("data", onData);
        req.pause();
        onOverflow();
        reject(new BodyTooLargeError(maxBytes));
        return;
      }
      chunks.push(c);
    };
    req.on("data", onData);
    req.once("end", () => resolve((chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)).toString("utf8")));
    req.once("error", reject);
  });
}

/**
 * The whole body, when it is already buffered and declared by Content-Length (a small JSON body
 * arrives with its headers: Node's parser has pushed it once the request handler's tick is over),
 * read at once, without readBodyText's listeners and promise; null otherwise (then readBodyText).
 * The stream is resumed, so that it still ends ('end', readableEnded) when the parser finishes it.
 */
export function readBufferedBody(req: IncomingMessage, maxBytes: number): Buffer | null {
  const declared = req.headers["content-length"];
  if (declared === undefined || req.readableFlowing !== null) return null;
  const size = Number(declared);
  if (!(size > 0 && size <= maxBytes) || req.readableLength !== size) return null;
  const body = req.read() as Buffer | null;
  req.resume();
  return body;
}

const gzipAsync = promisify(gzip);

export type HeaderList = readonly (readonly [string, string])[];

// As Next's own compression (what `next start` did for these routes): gzip from 1 kB when the
// client accepts it. The hot replies (`{}` for a logged metric) stay far below and are not touched.
const GZIP_MIN_BYTES = 1024;
function acceptsGzip(acceptEncoding: string | string[] | undefined): boolean {
  if (typeof acceptEncoding !== "string") return false;
  for (const part of acceptEncoding.split(",")) {
    const [coding, ...params] = part.split(";");
    const name = coding.trim().toLowerCase();
    if (name !== "gzip" && name !== "*") continue;
    const q = params.map((p) => p.trim().toLowerCase()).find((p) => p.startsWith("q="));
    return q === undefined || Number(q.slice(2)) > 0;
  }
  return false;
}

/**
 * Writes a JSON reply: `defaults` (security headers), `headers` (the route's own), the type and
 * length; gzipped when large and accepted. A small reply is written at once, with its headers
 * handed to writeHead as one list (no setHeader: Node then keeps no header map to build and merge),
 * and no promise is made; a gzipped one resolves once zlib is done.
 */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  defaults: HeaderList,
  opts: { close?: boolean; acceptEncoding?: string | string[]; headers?: HeaderList } = {},
): Promise<void> | void {
  const text = JSON.stringify(body) ?? "null";
  if (text.length < GZIP_MIN_BYTES) {
    const headers: string[] = [];
    for (const [k, v] of defaults) headers.push(k, v);
    if (opts.headers) for (const [k, v] of opts.headers) headers.push(k, v);
    headers.push("content-type", "application/json");
    if (opts.close) headers.push("connection", "close");
    headers.push("content-length", String(Buffer.byteLength(text)));
    res.writeHead(status, headers);
    res.end(text);
    return;
  }
  return sendLargeJson(res, status, text, defaults, opts);
}

async function sendLargeJson(res: ServerResponse, status: number, text: string, defaults: HeaderList, opts: { close?: boolean; acceptEncoding?: string | string[]; headers?: HeaderList }): Promise<void> {
  const headers: Record<string, string> = {};
  for (const [k, v] of defaults) headers[k] = v;
  if (opts.headers) for (const [k, v] of opts.headers) headers[k] = v;
  headers["content-type"] = "application/json";
  if (opts.close) headers.connection = "close";
  headers.vary = "Accept-Encoding";
  if (acceptsGzip(opts.acceptEncoding)) {
    const zipped = await gzipAsync(text); // zlib's thread pool, off the event loop
    headers["content-encoding"] = "gzip";
    headers["content-length"] = String(zipped.length);
    res.writeHead(status, headers);
    res.end(zipped);
    return;
  }
  headers["content-length"] = String(Buffer.byteLength(text));
  res.writeHead(status, headers);
  res.end(text);
}

/** A real Web Request for a Node request, its body streamed (not buffered) when it has one. */
export function toWebRequest(req: IncomingMessage, origin: string): Request {
  const method = req.method ?? "GET";
  const hasBody = method !== "GET" && method !== "HEAD";
  return new Request(origin + (req.url ?? "/"), {
    method,
    headers: webHeaders(req.headers),
    ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: "half" } : {}),
  } as RequestInit);
}

/**
 * Writes a Web Response to Node's response: `defaults` first (security headers), then the
 * response's own headers, which win (an artifact download's sandbox CSP); the body is streamed.
 */
export async function sendResponse(res: ServerResponse, response: Response, defaults: HeaderList, opts: { close?: boolean } = {}): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of defaults) headers[k] = v;
  response.headers.forEach((v, k) => {
    if (k !== "set-cookie") headers[k] = v;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) headers["set-cookie"] = cookies;
  if (opts.close) headers.connection = "close";
  res.writeHead(response.status, headers);
  if (!response.body) return void res.end();
  for await (const chunk of Readable.fromWeb(response.body as import("node:stream/web").ReadableStream<Uint8Array>)) {
    if (!res.write(chunk)) await new Promise<void>((r) => res.once("drain", r));
  }
  res.end();
}
