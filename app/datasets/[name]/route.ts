// Serves the dataset files listed in content/datasets/catalog.json: exact catalog file names only,
// strong ETags from the file's SHA-256, immutable caching for ?v=<sha256> URLs, and gzip
// compressed once per file and kept in memory.

import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { gzip as gzipCallback, constants as zlibConstants } from "node:zlib";
import { findCatalogFile } from "@/lib/datasets/catalog";
import { acceptsGzip, cacheControlFor, etagMatches, isSafeFileName } from "@/lib/datasets/http";

export const runtime = "nodejs";

const gzip = promisify(gzipCallback);
const DATASETS_DIR = path.join(process.cwd(), "content", "datasets");

interface CachedFile {
  mtimeMs: number;
  size: number;
  raw: Uint8Array<ArrayBuffer>;
  sha256: string;
  gzipped?: Promise<Uint8Array<ArrayBuffer>>;
}

const cache = new Map<string, CachedFile>();

async function loadFile(file: string): Promise<CachedFile> {
  const full = path.join(DATASETS_DIR, file);
  // Defence in depth: catalog names never contain separators, but never leave the folder.
  if (path.dirname(full) !== DATASETS_DIR) throw new Error("outside datasets folder");
  const info = await stat(full);
  const hit = cache.get(file);
  if (hit && hit.mtimeMs === info.mtimeMs && hit.size === info.size) return hit;
  const raw = new Uint8Array(await readFile(full));
  const entry: CachedFile = {
    mtimeMs: info.mtimeMs,
    size: info.size,
    raw,
    sha256: createHash("sha256").update(raw).digest("hex"),
  };
  cache.set(file, entry);
  return entry;
}

function gzipped(entry: CachedFile): Promise<Uint8Array<ArrayBuffer>> {
  entry.gzipped ??= gzip(entry.raw, { level: zlibConstants.Z_BEST_COMPRESSION }).then((b) => new Uint8Array(b));
  return entry.gzipped;
}

function notFound(): Response {
  return new Response("Not found\n", {
    status: 404,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" },
  });
}

async function serve(req: Request, ctx: { params: Promise<{ name: string }> }, head: boolean): Promise<Response> {
  const { name } = await ctx.params;
  if (!isSafeFileName(name)) return notFound();
  const listed = findCatalogFile(name);
  if (!listed) return notFound();

  let entry: CachedFile;
  try {
    entry = await loadFile(listed.file.file);
  } catch {
    return notFound();
  }

  const version = new URL(req.url).searchParams.get("v");
  const useGzip = acceptsGzip(req.headers.get("accept-encoding"));
  const identityTag = `"sha256-${entry.sha256}"`;
  const gzipTag = `"sha256-${entry.sha256}-gzip"`;
  const headers = new Headers({
    "Content-Type": listed.file.contentType,
    ETag: useGzip ? gzipTag : identityTag,
    "Cache-Control": cacheControlFor(version, entry.sha256),
    Vary: "Accept-Encoding",
    "Cross-Origin-Resource-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
  });

  if (etagMatches(req.headers.get("if-none-match"), [identityTag, gzipTag])) {
    return new Response(null, { status: 304, headers });
  }

  let body = entry.raw;
  if (useGzip) {
    body = await gzipped(entry);
    headers.set("Content-Encoding", "gzip");
  }
  headers.set("Content-Length", String(body.byteLength));
  return new Response(head ? null : body, { status: 200, headers });
}

export async function GET(req: Request, ctx: { params: Promise<{ name: string }> }): Promise<Response> {
  return serve(req, ctx, false);
}

export async function HEAD(req: Request, ctx: { params: Promise<{ name: string }> }): Promise<Response> {
  return serve(req, ctx, true);
}
