// S3ArtifactStore's addressing (no server needed): object keys with the prefix, path-style and
// virtual-hosted URLs, and per-segment encoding. Round trips against a server are in
// tests/integration/artifacts-s3-store.integration.test.ts.
import { describe, expect, it } from "vitest";
import { S3ArtifactStore } from "@/lib/server/services/tracking/artifacts/s3-store";

const base = { bucket: "art", region: "us-east-1", accessKeyId: "AKIAEXAMPLE", secretAccessKey: "secret", prefix: "" };

describe("S3ArtifactStore addressing", () => {
  it("builds path-style URLs for custom endpoints and virtual-hosted ones for AWS", () => {
    const minio = new S3ArtifactStore({ ...base, endpoint: "http://minio.local:9000", forcePathStyle: true });
    expect(minio.objectUrl("r1/model/weights.bin")).toBe("http://minio.local:9000/art/r1/model/weights.bin");
    const aws = new S3ArtifactStore({ ...base, endpoint: "https://s3.eu-west-3.amazonaws.com", forcePathStyle: false, prefix: "course/2025" });
    expect(aws.objectUrl("r1/a.json")).toBe("https://art.s3.eu-west-3.amazonaws.com/course/2025/r1/a.json");
  });

  it("encodes each key segment once, RFC 3986 style, and normalizes the key", () => {
    const s = new S3ArtifactStore({ ...base, endpoint: "http://h:1", forcePathStyle: true });
    expect(s.objectUrl("r1/roc curve (v2)+final*!.png")).toBe("http://h:1/art/r1/roc%20curve%20%28v2%29%2Bfinal%2A%21.png");
    expect(s.objectUrl("r1/año/q?x#y")).toBe("http://h:1/art/r1/a%C3%B1o/q%3Fx%23y");
    expect(s.objectKey("r1//./plots\\loss.json")).toBe("r1/plots/loss.json");
    expect(() => s.objectKey("r1/../x")).toThrow(/Invalid artifact path/);
  });
});
