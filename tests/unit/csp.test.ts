// lib/csp.mjs: the page policy admits scripts only by this request's nonce; eval stays with worker
// scripts. And which response gets which policy: next.config.mjs's header rules and proxy.ts's
// matcher, compiled with Next's own route matchers.
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { apiCsp, createNonce, pageCsp, workerScriptCsp } from "@/lib/csp.mjs";
import nextConfig from "@/next.config.mjs";
import { config as proxyConfig } from "@/proxy";

const require = createRequire(import.meta.url);
const { buildCustomRoute } = require("next/dist/lib/build-custom-route") as {
  buildCustomRoute(type: "header", route: { source: string }): { regex: string };
};
const { getMiddlewareMatchers } = require("next/dist/build/analysis/get-page-static-info") as {
  getMiddlewareMatchers(matcher: unknown, config: object): { regexp: string }[];
};

type Rule = { source: string; headers: { key: string; value: string }[] };

/** The headers next.config.mjs gives a path, applied in order as Next does (a later rule wins). */
async function configHeaders(path: string): Promise<Record<string, string>> {
  const rules = (await (nextConfig as { headers(): Promise<Rule[]> }).headers()) as Rule[];
  const out: Record<string, string> = {};
  for (const rule of rules)
    if (new RegExp(buildCustomRoute("header", rule).regex).test(path)) for (const h of rule.headers) out[h.key.toLowerCase()] = h.value;
  return out;
}

const proxyRuns = (path: string) => getMiddlewareMatchers(proxyConfig.matcher, {}).some((m) => new RegExp(m.regexp).test(path));

const scriptSrc = (csp: string) => /(?:^|;\s*)script-src ([^;]*)/.exec(csp)?.[1].split(" ") ?? [];

describe("content security policies", () => {
  it("a page runs scripts by nonce ('strict-dynamic'), never inline or eval in production", () => {
    const script = scriptSrc(pageCsp("abc123=="));
    expect(script).toContain("'nonce-abc123=='");
    expect(script).toContain("'strict-dynamic'");
    expect(script).not.toContain("'unsafe-inline'");
    expect(script).not.toContain("'unsafe-eval'");
    expect(pageCsp("n")).toMatch(/object-src 'none'.*base-uri 'self'.*frame-ancestors 'none'/);
  });

  it("adds 'unsafe-eval' to a page only in development (React's error overlay)", () => {
    expect(scriptSrc(pageCsp("n", { dev: true }))).toContain("'unsafe-eval'");
  });

  it("worker scripts may eval (the kernel compiles cells); API answers may run nothing", () => {
    expect(scriptSrc(workerScriptCsp)).toContain("'unsafe-eval'");
    expect(apiCsp).toBe("default-src 'none'; frame-ancestors 'none'");
  });

  it("nonces are 16 random bytes in base64, different every time", () => {
    const seen = new Set(Array.from({ length: 200 }, createNonce));
    expect(seen.size).toBe(200);
    for (const n of seen) expect(n).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });
});

describe("which response gets which policy", () => {
  it("artifact downloads get no CSP from the config, so their own `sandbox; default-src 'none'` stays", async () => {
    for (const path of [
      "/api/2.0/mlflow-artifacts/artifacts/0a1b2c/report.html",
      "/api/2.0/mlflow-artifacts/artifacts/0a1b2c/model/weights%20v1.bin",
      "/ajax-api/2.0/mlflow-artifacts/artifacts/0a1b2c/plot.svg",
    ]) {
      expect((await configHeaders(path))["content-security-policy"], path).toBeUndefined();
      expect(proxyRuns(path), path).toBe(false);
      // The other security headers still apply.
      expect((await configHeaders(path))["x-content-type-options"]).toBe("nosniff");
    }
  });

  it("other API and data responses get the locked-down policy", async () => {
    for (const path of ["/api/2.0/mlflow/runs/create", "/api/2.0/mlflow-artifacts/artifacts", "/api/trpc/notebooks.list", "/api/auth/ok", "/ajax-api/2.0/mlflow/runs/search", "/datasets/fraud.csv"]) {
      expect((await configHeaders(path))["content-security-policy"], path).toBe(apiCsp);
      expect(proxyRuns(path), path).toBe(false);
    }
  });

  it("static chunks and vendor files (worker scripts) get the worker policy, without the proxy", async () => {
    for (const path of ["/_next/static/chunks/0abc.js", "/vendor/duckdb/duckdb-browser-eh.worker.js", "/vendor/monaco/vs/loader.js"]) {
      expect((await configHeaders(path))["content-security-policy"], path).toBe(workerScriptCsp);
      expect((await configHeaders(path))["cross-origin-embedder-policy"]).toBe("require-corp");
      expect(proxyRuns(path), path).toBe(false);
    }
  });

  it("pages get their policy from the proxy alone (one header, with a nonce)", async () => {
    for (const path of ["/", "/es", "/en/sign-in", "/es/notebooks/local-1a2b", "/es/lessons/imbalance", "/es/no-such-page", "/xx/foo", "/icon.svg"]) {
      expect(proxyRuns(path), path).toBe(true);
      expect((await configHeaders(path))["content-security-policy"], path).toBeUndefined();
      expect((await configHeaders(path))["x-frame-options"]).toBe("DENY");
    }
    expect((await configHeaders("/es/notebooks/local-1a2b"))["cross-origin-opener-policy"]).toBe("same-origin");
  });
});
