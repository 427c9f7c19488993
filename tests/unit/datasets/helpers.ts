// Test helpers: a fetch that serves content/datasets from disk, and repo paths.

import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { FetchFn } from "@/lib/datasets/load";

export const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
export const DATASETS_DIR = path.join(ROOT, "content", "datasets");

export function readDatasetFile(file: string): Promise<Buffer> {
  return readFile(path.join(DATASETS_DIR, file));
}

/** Serves /datasets/<file>?v=… from content/datasets; records the URLs asked for. */
export function diskFetch(requested: string[] = []): FetchFn {
  return async (input) => {
    requested.push(input);
    const url = new URL(input, "http://localhost");
    const file = decodeURIComponent(url.pathname.replace(/^\/datasets\//, ""));
    try {
      return new Response(new Uint8Array(await readDatasetFile(file)));
    } catch {
      return new Response("not found", { status: 404 });
    }
  };
}
