import { describe, expect, it } from "vitest";
import { GET, HEAD } from "@/app/datasets/[name]/route";
import { catalog } from "@/lib/datasets/catalog";
import { etagMatches, isSafeFileName } from "@/lib/datasets/http";
import { readDatasetFile } from "./helpers";

const split = catalog.datasets.find((d) => d.name === "split-200")!.files[0];

function get(name: string, { query = "", headers = {} }: { query?: string; headers?: Record<string, string> } = {}) {
  const req = new Request(`http://localhost/datasets/${encodeURIComponent(name)}${query}`, { headers });
  return GET(req, { params: Promise.resolve({ name }) });
}

describe("GET /datasets/[name]", () => {
  it("serves a catalog file with its type, strong ETag and no-cache without ?v", async () => {
    const res = await get("split-200.csv");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("etag")).toBe(`"sha256-${split.sha256}"`);
    expect(res.headers.get("cache-control")).toBe("no-cache");
    expect(res.headers.get("cross-origin-resource-policy")).toBe("same-origin");
    expect(res.headers.get("content-encoding")).toBeNull();
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.equals(await readDatasetFile("split-200.csv"))).toBe(true);
  });

  it("is immutable for the current ?v=<sha256> only", async () => {
    const ok = await get("split-200.csv", { query: `?v=${split.sha256}` });
    expect(ok.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const stale = await get("split-200.csv", { query: "?v=0000" });
    expect(stale.headers.get("cache-control")).toBe("no-cache");
  });

  it("sends the file's exact bytes whatever the client accepts (compression is the server's job)", async () => {
    const res = await get("split-200.csv", { headers: { "accept-encoding": "br, gzip;q=0.8" } });
    expect(res.headers.get("content-encoding")).toBeNull();
    expect(res.headers.get("etag")).toBe(`"sha256-${split.sha256}"`);
    const body = Buffer.from(await res.arrayBuffer());
    expect(Number(res.headers.get("content-length"))).toBe(body.byteLength);
    expect(body.equals(await readDatasetFile("split-200.csv"))).toBe(true);
  });

  it("serves binary files as octet-stream", async () => {
    const res = await HEAD(new Request("http://localhost/datasets/digits-labels.bin"), {
      params: Promise.resolve({ name: "digits-labels.bin" }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/octet-stream");
    expect(res.headers.get("content-length")).toBe("10000");
    expect(res.body).toBeNull();
  });

  it("answers 304 to a matching If-None-Match", async () => {
    const res = await get("split-200.csv", { headers: { "if-none-match": `W/"x", "sha256-${split.sha256}"` } });
    expect(res.status).toBe(304);
    expect(res.body).toBeNull();
  });

  it("404s anything not in the catalog, including traversal attempts", async () => {
    for (const name of ["nope.csv", "catalog.json", "README.md", "../package.json", "..", "fraud", "%2e%2e%2fpackage.json", "a/b.csv"]) {
      const res = await get(name);
      expect(res.status, name).toBe(404);
    }
  });
});

describe("http helpers", () => {
  it("matches ETags and vets names", () => {
    expect(etagMatches('"a", "b"', ['"b"'])).toBe(true);
    expect(etagMatches("*", ['"b"'])).toBe(true);
    expect(etagMatches('"c"', ['"b"'])).toBe(false);
    expect(isSafeFileName("fraud.csv")).toBe(true);
    expect(isSafeFileName("../x")).toBe(false);
    expect(isSafeFileName(".env")).toBe(false);
  });
});
