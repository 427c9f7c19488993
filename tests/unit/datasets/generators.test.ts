// The committed files must be exactly what the seeded generators write, with the class counts the
// course material uses.

import { describe, expect, it } from "vitest";
import { catalog } from "@/lib/datasets/catalog";
import { parseCsv } from "@/lib/datasets/csv";
import { sha256Hex } from "@/lib/datasets/hash";
import { toTableDataset } from "@/lib/datasets/table";
import { toCatalogEntry, type GeneratedDataset } from "@/scripts/datasets/common";
import { generateDigits } from "@/scripts/datasets/digits";
import { generateFraud } from "@/scripts/datasets/fraud";
import { generateMagnetSignals, MAGNET_COLUMNS } from "@/scripts/datasets/magnet-signals";
import { generateSalesDaily } from "@/scripts/datasets/sales-daily";
import { generateSplit200 } from "@/scripts/datasets/split-200";
import { generateCars, generateSeattleWeather } from "@/scripts/datasets/vega";
import { readDatasetFile } from "./helpers";
import { averagePrecision, fitLogistic } from "./logistic";

async function expectMatchesCommitted(generated: GeneratedDataset): Promise<void> {
  const entry = await toCatalogEntry(generated);
  const committed = catalog.datasets.find((d) => d.name === entry.name);
  expect(committed, `catalog entry for ${entry.name}`).toBeDefined();
  expect(entry).toEqual(committed);
  for (const f of generated.files) {
    const onDisk = await readDatasetFile(f.file);
    expect(await sha256Hex(onDisk), f.file).toBe(await sha256Hex(f.bytes));
  }
}

function csvOf(generated: GeneratedDataset) {
  return parseCsv(new TextDecoder().decode(generated.files[0].bytes));
}

const sameBytes = (a: GeneratedDataset, b: GeneratedDataset) =>
  a.files.every((f, i) => Buffer.from(f.bytes).equals(Buffer.from(b.files[i].bytes)));

describe("fraud", () => {
  const generated = generateFraud();
  const parsed = csvOf(generated);

  it("is deterministic and reproduces the committed file", async () => {
    expect(sameBytes(generated, generateFraud())).toBe(true);
    expect(sameBytes(generated, generateFraud(1))).toBe(false);
    await expectMatchesCommitted(generated);
  });

  it("has ~20,000 rows with a fraud rate within 0.8–1.2%", () => {
    expect(parsed.rows.length).toBe(20_000);
    const rate = parsed.rows.filter((r) => r.is_fraud === 1).length / parsed.rows.length;
    expect(rate).toBeGreaterThanOrEqual(0.008);
    expect(rate).toBeLessThanOrEqual(0.012);
    expect(generated.entry.balance).toEqual({ "0": 19_800, "1": 200 });
    expect(parsed.types.merchant_category).toBe("string");
    expect(generated.files[0].bytes.byteLength).toBeLessThan(1.5 * 1024 * 1024);
  });

  it("is learnable but not separable by a logistic model", () => {
    const ds = toTableDataset("fraud", parsed.columns, parsed.rows);
    const features = [
      "amount",
      "hour",
      "distance_from_home_km",
      "distance_from_last_km",
      "ratio_to_median_amount",
      "online",
      "used_chip",
      "used_pin",
      "repeat_retailer",
      "card_age_days",
    ];
    const skewed = new Set([0, 2, 3, 4, 9]);
    const x = ds.matrix(features).map((r) => r.map((v, j) => (skewed.has(j) ? Math.log1p(v) : v)));
    const y = ds.column("is_fraud") as number[];
    const train = y.map((_, i) => i).filter((i) => i % 3 !== 0);
    const test = y.map((_, i) => i).filter((i) => i % 3 === 0);
    const scores = fitLogistic(
      train.map((i) => x[i]),
      train.map((i) => y[i]),
      test.map((i) => x[i]),
      { epochs: 300, lr: 2 },
    );
    const ap = averagePrecision(
      test.map((i) => y[i]),
      scores,
    );
    expect(ap).toBeGreaterThan(0.45);
    expect(ap).toBeLessThan(0.9);
  });
});

describe("magnet-signals", () => {
  const generated = generateMagnetSignals();
  const parsed = csvOf(generated);

  it("is deterministic and reproduces the committed file", async () => {
    expect(sameBytes(generated, generateMagnetSignals())).toBe(true);
    await expectMatchesCommitted(generated);
  });

  it("has 3,130 healthy and 112 faulty signals of 64 samples", () => {
    expect(parsed.columns).toEqual(MAGNET_COLUMNS);
    expect(parsed.columns.length).toBe(66);
    expect(parsed.rows.filter((r) => r.label === 0).length).toBe(3130);
    expect(parsed.rows.filter((r) => r.label === 1).length).toBe(112);
    expect(generated.entry.balance).toEqual({ "0": 3130, "1": 112 });
    expect(new Set(parsed.rows.map((r) => r.id)).size).toBe(3242);
    for (const c of parsed.columns) expect(parsed.types[c]).toBe("number");
  });
});

describe("split-200", () => {
  const generated = generateSplit200();
  const parsed = csvOf(generated);

  it("is deterministic and reproduces the committed file", async () => {
    expect(sameBytes(generated, generateSplit200())).toBe(true);
    await expectMatchesCommitted(generated);
  });

  it("has 160 negatives and 40 positives with two numeric features", () => {
    expect(parsed.columns).toEqual(["x1", "x2", "label"]);
    expect(parsed.rows.filter((r) => r.label === 0).length).toBe(160);
    expect(parsed.rows.filter((r) => r.label === 1).length).toBe(40);
  });
});

describe("sales-daily", () => {
  const generated = generateSalesDaily();
  const parsed = csvOf(generated);

  it("is deterministic and reproduces the committed file", async () => {
    expect(sameBytes(generated, generateSalesDaily())).toBe(true);
    await expectMatchesCommitted(generated);
  });

  it("is one row per day in time order with past-only lags", () => {
    const rows = parsed.rows;
    expect(rows.length).toBe(1096);
    expect(rows[0].date).toBe("2022-01-01");
    expect(rows.at(-1)!.date).toBe("2024-12-31");
    for (let i = 1; i < rows.length; i++) {
      expect(Date.parse(rows[i].date as string) - Date.parse(rows[i - 1].date as string)).toBe(86_400_000);
      expect(rows[i].sales_lag_1).toBe(rows[i - 1].sales);
      if (i >= 7) expect(rows[i].sales_lag_7).toBe(rows[i - 7].sales);
    }
    expect(rows[0].sales_lag_1).toBeNull();
    expect(rows[10].sales_rolling_mean_7_centered).not.toBeNull();
    expect(rows.at(-1)!.sales_rolling_mean_7_centered).toBeNull();
  });
});

describe("vega-datasets copies", () => {
  it("seattle-weather is a byte-for-byte copy", async () => {
    const generated = await generateSeattleWeather();
    await expectMatchesCommitted(generated);
    expect(csvOf(generated).rows.length).toBe(1461);
  });

  it("cars keeps the package's rows and missing values", async () => {
    const generated = await generateCars();
    await expectMatchesCommitted(generated);
    const parsed = csvOf(generated);
    expect(parsed.rows.length).toBe(406);
    expect(parsed.rows.filter((r) => r.Miles_per_Gallon === null).length).toBe(8);
    expect(parsed.rows[0]).toMatchObject({ Name: "chevrolet chevelle malibu", Miles_per_Gallon: 18, Origin: "USA" });
  });
});

describe("digits", () => {
  it("repacks the mnist package exactly and reproduces the committed files", async () => {
    const generated = await generateDigits();
    await expectMatchesCommitted(generated);
    const [pixels, labels] = generated.files;
    expect(pixels.bytes.byteLength).toBe(10_000 * 784);
    expect(labels.bytes.byteLength).toBe(10_000);
    expect(generated.entry.balance).toEqual({
      "0": 1001,
      "1": 1127,
      "2": 991,
      "3": 1032,
      "4": 980,
      "5": 863,
      "6": 1014,
      "7": 1070,
      "8": 944,
      "9": 978,
    });
  }, 120_000);
});
