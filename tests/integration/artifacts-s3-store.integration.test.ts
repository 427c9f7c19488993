// S3ArtifactStore against a real S3-compatible server (s3rver): object round trips, key prefixes
// and encoding, a 5 MB binary, and the errors an operator sees for bad credentials or endpoints.
import { createHash, randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ArtifactS3Config } from "@/lib/env";
import { S3ArtifactStore } from "@/lib/server/services/tracking/artifacts/s3-store";
import { startS3Server, type TestS3Server } from "./helpers/s3-server";

const text = (s: string) => new TextEncoder().encode(s);
const str = (b: Uint8Array | null) => (b === null ? null : new TextDecoder().decode(b));

/** A port nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const { port } = srv.address() as { port: number };
  await new Promise((r) => srv.close(r));
  return port;
}

describe("S3ArtifactStore against s3rver", () => {
  let s3: TestS3Server;
  let config: ArtifactS3Config;
  const store = (over: Partial<ArtifactS3Config> = {}) => new S3ArtifactStore({ ...config, ...over }, { retries: 0, timeoutMs: 10_000 });

  beforeAll(async () => {
    s3 = await startS3Server();
    config = {
      bucket: s3.bucket,
      endpoint: s3.endpoint,
      region: "us-east-1",
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
      forcePathStyle: true,
      prefix: "",
    };
  });
  afterAll(async () => s3?.close());

  it("puts, gets, overwrites and deletes; a missing key reads as null", async () => {
    const s = store();
    const verified = s3.verifiedRequests;
    expect(s.kind).toBe("s3");
    expect(await s.get("run1/none.txt")).toBeNull();
    await s.put("run1/a.txt", text("first"));
    expect(str(await s.get("run1/a.txt"))).toBe("first");
    await s.put("run1/a.txt", text("second, longer"));
    expect(str(await s.get("run1/a.txt"))).toBe("second, longer");
    await s.put("run1/empty.bin", new Uint8Array(0));
    expect(await s.get("run1/empty.bin")).toEqual(new Uint8Array(0));
    await s.delete("run1/a.txt");
    expect(await s.get("run1/a.txt")).toBeNull();
    await s.delete("run1/a.txt"); // deleting a missing key is not an error
    expect(str(await s.get("run1/empty.bin"))).toBe("");
    expect(s3.verifiedRequests - verified).toBe(11); // every request carried a valid SigV4 signature
  });

  it("keeps keys under the configured prefix and encodes awkward names", async () => {
    const prefixed = store({ prefix: "course/2025" });
    const bare = store();
    expect(prefixed.objectKey("run2/m/model.json")).toBe("course/2025/run2/m/model.json");
    await prefixed.put("run2/m/model.json", text("{}"));
    expect(str(await bare.get("course/2025/run2/m/model.json"))).toBe("{}");
    expect(await bare.get("run2/m/model.json")).toBeNull();
    await prefixed.delete("run2/m/model.json");
    expect(await bare.get("course/2025/run2/m/model.json")).toBeNull();

    const names = ["run2/with space.txt", "run2/plus+sign (1).txt", "run2/año/ñandú*!'.json", "run2/a%20b.txt", "run2/q?x=1&y#z.txt"];
    for (const [i, n] of names.entries()) await prefixed.put(n, text(`v${i}`));
    for (const [i, n] of names.entries()) expect(str(await prefixed.get(n))).toBe(`v${i}`);
    expect(await prefixed.get("run2/a b.txt")).toBeNull(); // "%20" was stored literally
    expect(() => prefixed.objectKey("run2/../../etc/passwd")).toThrow(/Invalid artifact path/);
  });

  it("round-trips a 5 MB binary byte for byte", async () => {
    const s = store({ prefix: "big" });
    const data = new Uint8Array(randomBytes(5 * 1024 * 1024));
    await s.put("run3/weights.bin", data);
    const back = await s.get("run3/weights.bin");
    expect(back?.byteLength).toBe(data.byteLength);
    expect(Buffer.from(back!).equals(Buffer.from(data))).toBe(true);
    expect(createHash("sha256").update(back!).digest("hex")).toBe(createHash("sha256").update(data).digest("hex"));
  });

  it("reports wrong credentials with S3's error code and without the secrets", async () => {
    const secret = "wrong-secret-b9f1c2d3e4";
    const badSecret = store({ secretAccessKey: secret });
    const err = await badSecret.put("run4/x.txt", text("x")).then(() => null, (e: Error) => e);
    expect(err?.message).toMatch(/^S3 PUT of 'run4\/x\.txt' in bucket 'cuaderno-test' failed: HTTP 403 SignatureDoesNotMatch/);
    expect(err?.message).not.toContain(secret);
    await expect(badSecret.get("run4/x.txt")).rejects.toThrow(/S3 GET .* HTTP 403 SignatureDoesNotMatch/);
    expect(await store().get("run4/x.txt")).toBeNull(); // nothing was written

    const badKey = store({ accessKeyId: "AKIAWRONGKEY0001" });
    const err2 = await badKey.get("run4/x.txt").then(() => null, (e: Error) => e);
    expect(err2?.message).toMatch(/HTTP 403 InvalidAccessKeyId/);
    expect(err2?.message).not.toContain("AKIAWRONGKEY0001");
  });

  it("tells a missing bucket and an unreachable endpoint apart from a missing key", async () => {
    await expect(store({ bucket: "no-such-bucket" }).get("run5/x.txt")).rejects.toThrow(/bucket 'no-such-bucket' failed: HTTP 404 NoSuchBucket/);
    const port = await closedPort();
    await expect(store({ endpoint: `http://127.0.0.1:${port}` }).get("run5/x.txt")).rejects.toThrow(
      new RegExp(`^S3 GET of 'run5/x\\.txt' in bucket 'cuaderno-test' failed: cannot reach http://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`),
    );
  });
});
