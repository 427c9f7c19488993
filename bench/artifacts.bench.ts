// Artifact store round trips: DiskArtifactStore against S3ArtifactStore talking to s3rver on
// localhost (the integration tests' server, SigV4 checked). Prints p50/p99 per operation and
// size, with the load average. Run: npx tsx bench/artifacts.bench.ts [--repeat 20]
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { S3ArtifactStore } from "@/lib/server/services/tracking/artifacts/s3-store";
import { DiskArtifactStore, type ArtifactStore } from "@/lib/server/services/tracking/artifacts/store";
import { startS3Server } from "../tests/integration/helpers/s3-server";

const repeat = Number(process.argv[process.argv.indexOf("--repeat") + 1]) || 20;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

async function measure(name: string, store: ArtifactStore, size: number) {
  const data = new Uint8Array(randomBytes(size));
  const put: number[] = [];
  const get: number[] = [];
  await store.put("warm/up.bin", data); // first request opens the connection
  for (let i = 0; i < repeat; i++) {
    put.push(await time(() => store.put(`bench/${size}/${i}.bin`, data)));
    get.push(await time(() => store.get(`bench/${size}/${i}.bin`)));
  }
  const mbps = (ms: number) => ((size / 1e6) / (ms / 1000)).toFixed(1);
  console.log(
    `${name.padEnd(5)} ${String(size).padStart(8)} B  put p50 ${fmt(pct(put, 50))} p99 ${fmt(pct(put, 99))} (${mbps(pct(put, 50))} MB/s)  get p50 ${fmt(pct(get, 50))} p99 ${fmt(pct(get, 99))} (${mbps(pct(get, 50))} MB/s)`,
  );
}

const s3 = await startS3Server("cuaderno-bench");
const dir = mkdtempSync(join(tmpdir(), "cuaderno-bench-art-"));
try {
  console.log(`load average before: ${loadavg().map((l) => l.toFixed(2)).join(" ")}; ${repeat} put+get per row`);
  const stores: [string, ArtifactStore][] = [
    ["disk", new DiskArtifactStore(dir)],
    ["s3", new S3ArtifactStore({ bucket: s3.bucket, endpoint: s3.endpoint, region: "us-east-1", accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey, forcePathStyle: true, prefix: "bench" })],
  ];
  for (const size of [10_000, 1_000_000, 5_000_000]) for (const [name, store] of stores) await measure(name, store, size);
  console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
} finally {
  await s3.close();
  rmSync(dir, { recursive: true, force: true });
}
