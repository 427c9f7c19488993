// Serves the dataset files listed in content/datasets/catalog.json: exact catalog file names only,
// strong ETags from the file's SHA-256, immutable caching for ?v=<sha256> URLs. The body is the
// file's exact bytes: compression is the server's job (Next drops a route's own
// Content-Encoding header, which left browsers hashing gzip bytes as if they were the file).

import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { findCatalogFile } from "@/lib/datasets/catalog";
import { cacheControlFor, etagMatches, isSafeFileName } from "@/lib/datasets/http";

export const runtime = "nodejs";

const DATASETS_DIR = path.join(process.cwd(), "content", "datasets");

interface CachedFile {
  mtimeMs: number;
  size: number;
  raw: Uint8Array<ArrayBuffer>;
  sha256: string;
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
  const etag = `"sha256-${entry.sha256}"`;
  const headers = new Headers({
    "Content-Type": listed.file.contentType,
    ETag: etag,
    "Cache-Control": cacheControlFor(version, entry.sha256),
    "Cross-Origin-Resource-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
  });

  if (etagMatches(req.headers.get("if-none-match"), [etag])) {
    return new Response(null, { status: 304, headers });
  }

  headers.set("Content-Length", String(entry.raw.byteLength));
  return new Response(head ? null : entry.raw, { status: 200, headers });
}

export async function GET(req: Request, ctx: { params: Promise<{ name: string }> }): Promise<Response> {
  return serve(req, ctx, false);
}

export async function HEAD(req: Request, ctx: { params: Promise<{ name: string }> }): Promise<Response> {
  return serve(req, ctx, true);
}
