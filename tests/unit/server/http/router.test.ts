import { describe, expect, it } from "vitest";
import { createRouter } from "@/lib/server/http/router";
import { leanSecurityHeaders } from "@/lib/server/http/security-headers";

describe("createRouter", () => {
  const route = createRouter([
    { prefix: "/api/2.0/mlflow/", handler: "mlflow" },
    { prefix: "/api/2.0/mlflow-artifacts/", handler: "artifacts" },
    { prefix: "/v2/", handler: "predict" },
    { prefix: "/v2/health/", handler: "health" },
  ]);

  it("sends a path under a prefix to its handler, query and all", () => {
    expect(route("/api/2.0/mlflow/runs/log-metric")).toBe("mlflow");
    expect(route("/api/2.0/mlflow/metrics/get-history?run_id=1&metric_key=a")).toBe("mlflow");
    expect(route("/api/2.0/mlflow-artifacts/artifacts/abc/x.bin")).toBe("artifacts");
    expect(route("/v2/models/m/infer")).toBe("predict");
  });

  it("prefers the longest prefix", () => {
    expect(route("/v2/health/ready")).toBe("health");
  });

  it("leaves everything else (and near misses) to the fallback", () => {
    for (const url of ["/", "/es/lessons/x", "/api/2.0/mlflow", "/api/2.0/mlflowx/runs", "/API/2.0/mlflow/runs/create", "http://h/api/2.0/mlflow/runs/create", "//api/2.0/mlflow/runs/create", "/v2"])
      expect(route(url)).toBeNull();
  });

  it("refuses a prefix that does not start and end with a slash", () => {
    expect(() => createRouter([{ prefix: "/api", handler: 1 }])).toThrow(/must start and end/);
    expect(() => createRouter([{ prefix: "api/", handler: 1 }])).toThrow(/must start and end/);
  });
});

describe("leanSecurityHeaders", () => {
  it("takes the every-path rule from next.config's headers(), over a floor, with the API policy", () => {
    const h = new Map(
      leanSecurityHeaders([
        { source: "/:path*", headers: [{ key: "X-Frame-Options", value: "SAMEORIGIN" }, { key: "Permissions-Policy", value: "camera=()" }, { key: "Content-Security-Policy", value: "default-src 'self'; script-src 'self'" }] },
        { source: "/_next/static/:path*", headers: [{ key: "Cross-Origin-Embedder-Policy", value: "require-corp" }] },
      ]),
    );
    expect(h.get("x-frame-options")).toBe("SAMEORIGIN");
    expect(h.get("permissions-policy")).toBe("camera=()");
    expect(h.get("x-content-type-options")).toBe("nosniff");
    expect(h.get("cross-origin-resource-policy")).toBe("same-origin");
    expect(h.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(h.has("cross-origin-embedder-policy")).toBe(false);
  });

  it("keeps the floor when the config has no headers", () => {
    expect(new Map(leanSecurityHeaders([])).get("x-frame-options")).toBe("DENY");
  });
});
