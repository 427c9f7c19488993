import { describe, expect, it } from "vitest";
import { listDatasets } from "@/lib/datasets/catalog";
import { datasetFileUrl, getDatasetHash, loadDataset, loadDatasetWithInfo, type FetchFn } from "@/lib/datasets/load";
import type { ImageDataset, TableDataset } from "@/lib/datasets/types";
import { diskFetch } from "./helpers";

describe("listDatasets", () => {
  it("lists the datasets the lessons name", () => {
    expect(listDatasets().map((d) => d.name)).toEqual([
      "fraud",
      "magnet-signals",
      "split-200",
      "digits",
      "sales-daily",
      "seattle-weather",
      "cars",
    ]);
  });
});

describe("loadDataset", () => {
  it("loads fraud as a typed TableDataset from a versioned URL", async () => {
    const requested: string[] = [];
    const ds = (await loadDataset("fraud", diskFetch(requested))) as TableDataset;
    const entry = listDatasets().find((d) => d.name === "fraud")!;
    expect(requested).toEqual([`/datasets/fraud.csv?v=${entry.files[0].sha256}`]);
    expect(ds.kind).toBe("table");
    expect(ds.name).toBe("fraud");
    expect(ds.rows.length).toBe(20_000);
    expect(ds.columns).toContain("is_fraud");
    expect(typeof ds.rows[0].merchant_category).toBe("string");
    expect(typeof ds.rows[0].amount).toBe("number");
    expect(ds.matrix(["amount", "online"])[0].length).toBe(2);
    expect(getDatasetHash(ds)).toBe(entry.sha256);
  });

  it("keeps dates as strings and missing values as null", async () => {
    const sales = (await loadDataset("sales-daily", diskFetch())) as TableDataset;
    expect(sales.rows[0].date).toBe("2022-01-01");
    expect(sales.rows[0].sales_lag_1).toBeNull();
    const cars = (await loadDataset("cars", diskFetch())) as TableDataset;
    expect(cars.column("Year")[0]).toBe("1970-01-01");
    expect(cars.column("Miles_per_Gallon").filter((v) => v === null).length).toBe(8);
  });

  it("decodes digits into 10,000 28×28 images in [0,1] with labels 0–9", async () => {
    const info = await loadDatasetWithInfo("digits", diskFetch());
    const ds = info.dataset as ImageDataset;
    expect(ds.kind).toBe("images");
    expect([ds.count, ds.height, ds.width]).toEqual([10_000, 28, 28]);
    expect(ds.images).toBeInstanceOf(Float32Array);
    expect(ds.images.length).toBe(10_000 * 28 * 28);
    expect(ds.labels).toBeInstanceOf(Int32Array);
    let min = Infinity;
    let max = -Infinity;
    for (const v of ds.images) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    expect(min).toBe(0);
    expect(max).toBe(1);
    const counts = new Array<number>(10).fill(0);
    for (const l of ds.labels) counts[l]++;
    expect(counts.every((c) => c > 800)).toBe(true);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(10_000);
    // The seeded shuffle mixes all ten digits into the first hundred.
    expect(new Set(ds.labels.slice(0, 100)).size).toBe(10);
    expect(info.files.map((f) => f.file)).toEqual(["digits-images.bin", "digits-labels.bin"]);
    expect(info.sha256).toBe(info.entry.sha256);
  });

  it("rejects unknown names, HTTP errors and bytes that do not match the catalog", async () => {
    await expect(loadDataset("nope", diskFetch())).rejects.toThrow(/Unknown dataset "nope".*fraud/);
    const failing: FetchFn = async () => new Response("gone", { status: 404 });
    await expect(loadDataset("split-200", failing)).rejects.toThrow(/HTTP 404/);
    const tampered: FetchFn = async () => new Response("x1,x2,label\n0,0,1\n");
    await expect(loadDataset("split-200", tampered)).rejects.toThrow(/does not match the catalog/);
    const ds = (await loadDataset("split-200", tampered, { verify: false })) as TableDataset;
    expect(ds.rows).toEqual([{ x1: 0, x2: 0, label: 1 }]);
  });

  it("builds URLs under a custom base", () => {
    expect(datasetFileUrl({ file: "fraud.csv", sha256: "abc" }, "https://x.test/data/")).toBe(
      "https://x.test/data/fraud.csv?v=abc",
    );
  });
});
