// One list of kernel globals (lib/kernel/globals.ts) for the runtime, the dependency analysis and
// the editor: the runtime installs exactly the listed globals, the generated declarations
// (scripts/notebook-types.mjs) declare exactly those, with real types, and the members the
// declarations promise are the members the runtime's objects have.
import "fake-indexeddb/auto";
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { IMAGE_DATASET_NAMES, KERNEL_GLOBALS, REBOUND_HOST_GLOBALS, SHOW_METHODS } from "@/lib/kernel/globals";
import { KernelRuntime, type TfLike } from "@/lib/kernel/runtime";
import * as metrics from "@/lib/ml/metrics";
import { isBuiltinName } from "@/lib/notebook/dependencies";
import { CellTypeChecker, notebookDeclarations } from "../notebook/cell-typecheck";

function runtime() {
  return new KernelRuntime({
    emit: () => undefined,
    loadTf: async () => (await import("@tensorflow/tfjs")) as unknown as TfLike,
    loadShow: () => import("@/lib/show"),
    loadMl: () => import("@/lib/ml"),
    tracking: { dbName: `globals-test-${Math.random()}` },
  });
}

/** Names the generated declarations make global. */
function declaredGlobals(files: Record<string, string>): string[] {
  const names: string[] = [];
  for (const [path, text] of Object.entries(files)) {
    if (!/^file:\/\/\/cuaderno\/globals(-[\w$]+)?\.d\.ts$/.test(path)) continue;
    for (const m of text.matchAll(/^declare const ([\w$]+)/gm)) names.push(m[1]!);
    for (const m of text.matchAll(/^export as namespace ([\w$]+);/gm)) names.push(m[1]!);
  }
  return names.sort();
}

describe("the kernel's globals", () => {
  it("the runtime installs exactly the listed globals (and re-binds console)", () => {
    expect(runtime().scope.builtinNames().sort()).toEqual([...KERNEL_GLOBALS, ...REBOUND_HOST_GLOBALS].sort());
  });

  it("the dependency analysis treats every one as given, never as a cell's variable", () => {
    for (const name of KERNEL_GLOBALS) expect(isBuiltinName(name), name).toBe(true);
  });

  it("image datasets are the catalog's", () => {
    const catalog = JSON.parse(readFileSync("content/datasets/catalog.json", "utf8")) as { datasets: { name: string; kind: string }[] };
    expect([...IMAGE_DATASET_NAMES].sort()).toEqual(catalog.datasets.filter((d) => d.kind === "images").map((d) => d.name).sort());
  });

  it("ml.metrics.f1Score is f1 under scikit-learn's name", () => {
    expect(metrics.f1Score).toBe(metrics.f1);
  });
});

describe("the generated declarations", () => {
  let tc: CellTypeChecker;
  beforeAll(() => {
    tc = new CellTypeChecker();
  }, 120_000);

  it("declare every kernel global and nothing else", () => {
    expect(declaredGlobals(notebookDeclarations().files)).toEqual([...KERNEL_GLOBALS].sort());
    expect(notebookDeclarations().globals).toEqual([...KERNEL_GLOBALS]);
  });

  it("give every global a real type (not any), with its TSDoc", () => {
    tc.edit([], KERNEL_GLOBALS.map((g) => `${g};`).join("\n"));
    expect(tc.errors()).toEqual([]);
    for (const g of KERNEL_GLOBALS) {
      const info = tc.hover(`${g};`);
      expect(info?.text, g).toBeTruthy();
      expect(info!.text, g).not.toMatch(/:\s*any$/);
      if (g !== "ml" && g !== "tf") expect(info!.docs, g).not.toBe("");
    }
  });

  it("promise the members the runtime's objects have, no more and no fewer", async () => {
    const rt = runtime();
    await rt.scope.ensureLoaded(["show", "track"]);
    const values = rt.scope.values as Record<string, Record<string, unknown>>;
    for (const g of ["data", "challenge", "endpoints", "show", "track"] as const) {
      tc.edit([], `${g}.x`);
      const declared = tc.completions(`${g}.`, g.length + 1).sort();
      const installed = Object.keys(values[g]!).filter((k) => typeof values[g]![k] === "function").sort();
      expect(installed, `${g}: the runtime's members are the declared ones`).toEqual(declared);
    }
    expect(Object.keys(values.show!).sort()).toEqual([...SHOW_METHODS, "history"].sort());
  });
});
