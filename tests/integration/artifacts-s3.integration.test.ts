// The artifacts service with S3 configured through the environment (ARTIFACT_S3_* read by
// lib/env.ts), against s3rver: logArtifact → listArtifacts → readArtifact and the MLflow artifacts
// proxy go to the bucket; rows written to disk before S3 was configured still read from disk.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startS3Server, type TestS3Server } from "./helpers/s3-server";
import { createTestDb, insertUser, testProviders, type TestDb } from "./helpers/test-db";

type Artifacts = typeof import("@/lib/server/services/tracking/artifacts");
type Storage = typeof import("@/lib/server/services/tracking/artifacts/storage");
type Stores = typeof import("@/lib/server/services/tracking/artifacts/store");
type S3Store = typeof import("@/lib/server/services/tracking/artifacts/s3-store");
type Runs = typeof import("@/lib/server/services/tracking/runs");
type Proxy = typeof import("@/lib/server/services/tracking/mlflow-rest/artifacts-proxy");
type EnvModule = typeof import("@/lib/env");

let s3: TestS3Server;
let artifactDir: string;
let artifacts: Artifacts, storage: Storage, stores: Stores, s3store: S3Store, runs: Runs, proxy: Proxy, envModule: EnvModule;

beforeAll(async () => {
  s3 = await startS3Server();
  artifactDir = mkdtempSync(join(tmpdir(), "cuaderno-s3-disk-"));
  Object.assign(process.env, {
    ARTIFACT_DIR: artifactDir,
    ARTIFACT_S3_BUCKET: s3.bucket,
    ARTIFACT_S3_ENDPOINT: s3.endpoint,
    ARTIFACT_S3_ACCESS_KEY_ID: s3.accessKeyId,
    ARTIFACT_S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    ARTIFACT_S3_PREFIX: "cuaderno",
  });
  // Fresh module instances, so lib/env.ts reads the variables above.
  vi.resetModules();
  [artifacts, storage, stores, s3store, runs, proxy, envModule] = await Promise.all([
    import("@/lib/server/services/tracking/artifacts"),
    import("@/lib/server/services/tracking/artifacts/storage"),
    import("@/lib/server/services/tracking/artifacts/store"),
    import("@/lib/server/services/tracking/artifacts/s3-store"),
    import("@/lib/server/services/tracking/runs"),
    import("@/lib/server/services/tracking/mlflow-rest/artifacts-proxy"),
    import("@/lib/env"),
  ]);
});
afterAll(async () => {
  await s3?.close();
  if (artifactDir) rmSync(artifactDir, { recursive: true, force: true });
});

const text = (s: string) => new TextEncoder().encode(s);
const str = (b: Uint8Array | null) => (b === null ? null : new TextDecoder().decode(b));

describe.each(testProviders)("artifacts in S3 on %s", (provider) => {
  let t: TestDb;
  let ana: { id: string; name: string; email: string; role: "student" | "instructor" };
  let bob: typeof ana;
  const ctx = (user: typeof ana) => ({ db: t.db, user });
  /** Reads the bucket directly, with the configured prefix. */
  const bucket = () => new s3store.S3ArtifactStore(envModule.env.artifactS3!);

  beforeAll(async () => {
    t = await createTestDb(provider);
    ana = await insertUser(t.db, "student", "Ana");
    bob = await insertUser(t.db, "student", "Bob");
  });
  afterAll(async () => t?.drop());

  it("picks S3 from the environment: logArtifact → listArtifacts → readArtifact", async () => {
    expect(envModule.env.artifactS3).toMatchObject({ bucket: s3.bucket, endpoint: s3.endpoint, forcePathStyle: true, prefix: "cuaderno", region: "us-east-1" });
    expect(storage.defaultArtifactStore().kind).toBe("s3");
    const run = await runs.createRun(ctx(ana), {});
    const runId = run.info.runId;
    const json = text('{"loss":[1,0.5,0.25]}');
    const weights = new Uint8Array(300_000).map((_, i) => (i * 31) % 256);
    await artifacts.logArtifact(ctx(ana), { runId, path: "plots/loss.json", data: json, contentType: "application/json" });
    await artifacts.logArtifact(ctx(ana), { runId, path: "model/weights.bin", data: weights });

    expect(await artifacts.listArtifacts(ctx(ana), { runId })).toMatchObject([
      { path: "model/weights.bin", size: weights.byteLength, contentType: "application/octet-stream" },
      { path: "plots/loss.json", size: json.byteLength, contentType: "application/json" },
    ]);
    const rows = await t.db.artifact.findMany({ where: { runId }, select: { storage: true } });
    expect(rows.map((r) => r.storage)).toEqual(["s3", "s3"]);
    // The bytes are in the bucket under the prefix, and not on disk.
    expect(str(await bucket().get(`${runId}/plots/loss.json`))).toBe('{"loss":[1,0.5,0.25]}');
    expect(bucket().objectKey(`${runId}/plots/loss.json`)).toBe(`cuaderno/${runId}/plots/loss.json`);
    expect(existsSync(join(artifactDir, runId))).toBe(false);

    const back = await artifacts.readArtifact(ctx(ana), { runId, path: "model/weights.bin" });
    expect(Buffer.from(back.data).equals(Buffer.from(weights))).toBe(true);
    expect(str((await artifacts.readArtifact(ctx(ana), { runId, path: "plots/loss.json" })).data)).toBe('{"loss":[1,0.5,0.25]}');
    await expect(artifacts.readArtifact(ctx(bob), { runId, path: "plots/loss.json" })).rejects.toMatchObject({ code: "notFound" });
    await expect(artifacts.logArtifact(ctx(bob), { runId, path: "x.txt", data: json })).rejects.toMatchObject({ code: "notFound" });

    // Bytes gone from the bucket behind the database's back: a clear not-found, not a crash.
    await bucket().delete(`${runId}/plots/loss.json`);
    await expect(artifacts.readArtifact(ctx(ana), { runId, path: "plots/loss.json" })).rejects.toThrow(/missing from storage/);
  });

  it("reads artifacts written to disk before S3 was configured, and moves them on overwrite", async () => {
    const run = await runs.createRun(ctx(ana), {});
    const runId = run.info.runId;
    const disk = new stores.DiskArtifactStore(artifactDir);
    await artifacts.logArtifact(ctx(ana), { runId, path: "old/notes.txt", data: text("from disk"), contentType: "text/plain" }, disk);
    expect((await t.db.artifact.findFirst({ where: { runId }, select: { storage: true } }))?.storage).toBe("disk");
    expect(existsSync(join(artifactDir, runId, "old", "notes.txt"))).toBe(true);

    // The default storage writes to S3 but reads each row from the store it names.
    expect(str((await artifacts.readArtifact(ctx(ana), { runId, path: "old/notes.txt" })).data)).toBe("from disk");
    expect(await artifacts.listArtifacts(ctx(ana), { runId })).toMatchObject([{ path: "old/notes.txt", contentType: "text/plain" }]);

    await artifacts.logArtifact(ctx(ana), { runId, path: "old/notes.txt", data: text("now in s3"), contentType: "text/plain" });
    expect((await t.db.artifact.findFirst({ where: { runId }, select: { storage: true } }))?.storage).toBe("s3");
    expect(existsSync(join(artifactDir, runId, "old", "notes.txt"))).toBe(false);
    expect(str((await artifacts.readArtifact(ctx(ana), { runId, path: "old/notes.txt" })).data)).toBe("now in s3");

    // With S3 settings removed, an S3 row fails with a message naming the missing store.
    await expect(artifacts.readArtifact(ctx(ana), { runId, path: "old/notes.txt" }, storage.artifactStorage(disk))).rejects.toThrow(
      `Artifact '${runId}/old/notes.txt' is kept in 's3' storage, which is not configured`,
    );
  });

  it("serves the MLflow artifacts proxy (PUT and GET) from S3 by default", async () => {
    const run = await runs.createRun(ctx(ana), {});
    const runId = run.info.runId;
    const sessionUser = async (h: Headers) => (h.get("cookie") === "session=ana" ? ana : h.get("cookie") === "session=bob" ? bob : null);
    const call = (who: string, method: string, path: string, body?: Uint8Array) =>
      proxy.handleMlflowArtifactsRequest(
        new Request(`http://localhost/api/2.0/mlflow-artifacts/artifacts/${path}`, { method, body: body as BodyInit | undefined, headers: { cookie: `session=${who}`, "content-type": "image/png", origin: "http://localhost" } }),
        { db: t.db, sessionUser, appOrigin: "http://localhost" },
      );
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...Array.from({ length: 1000 }, (_, i) => i % 251)]);
    expect((await call("ana", "PUT", `${runId}/figs/roc curve.png`, png)).status).toBe(200);
    expect(str(await bucket().get(`${runId}/figs/roc curve.png`))).toBe(str(png));
    const res = await call("ana", "GET", `${run.info.experimentId}/${runId}/artifacts/figs/roc%20curve.png`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("content-disposition")).toBe(`inline; filename="roc_curve.png"; filename*=UTF-8''roc%20curve.png`);
    expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(png))).toBe(true);
    expect((await call("bob", "GET", `${runId}/figs/roc%20curve.png`)).status).toBe(404);
  });
});
