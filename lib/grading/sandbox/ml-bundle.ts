// The pure parts of lib/ml as plain scripts for the sandbox: one script per namespace, built
// with esbuild (it comes with tsx, a dependency) once per pool, in memory. Each script leaves the
// namespace in `__cuadernoMlNamespace`; the sandbox evaluates a namespace on its first use only
// (all of them together cost ~100 ms per context in QuickJS; metrics alone a few ms).
import { createRequire } from "node:module";
import { join } from "node:path";

/** Namespaces free of TensorFlow.js (augment and losses need it, so they stay out). */
export const SANDBOX_ML_NAMESPACES = [
  "metrics",
  "array",
  "split",
  "resample",
  "preprocess",
  "drift",
  "baselines",
  "select",
  "models",
  "ensemble",
  "explain",
  "random",
] as const;

interface EsbuildLike {
  build(options: Record<string, unknown>): Promise<{ outputFiles: { text: string }[] }>;
}

function esbuild(root: string): EsbuildLike {
  const fromRoot = createRequire(join(root, "package.json"));
  return createRequire(fromRoot.resolve("tsx/package.json"))("esbuild") as EsbuildLike;
}

/** Builds every namespace (async: the server's event loop keeps answering meanwhile). */
export async function buildMlNamespaces(root: string = process.cwd()): Promise<Record<string, string>> {
  const build = esbuild(root);
  const entries = await Promise.all(
    SANDBOX_ML_NAMESPACES.map(async (name) => {
      const result = await build.build({
        stdin: { contents: `export * from "./lib/ml/${name}";`, resolveDir: root, loader: "ts" },
        bundle: true,
        format: "iife",
        globalName: "__cuadernoMlNamespace",
        // QuickJS implements ES2023; esbuild lowers nothing it needs.
        target: "es2020",
        platform: "neutral",
        minify: true,
        write: false,
        logLevel: "silent",
      });
      return [name, result.outputFiles[0]!.text] as const;
    }),
  );
  return Object.fromEntries(entries);
}
