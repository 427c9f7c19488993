// catalog.json must describe the committed files exactly (sizes, hashes, columns, balance).

import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { catalog } from "@/lib/datasets/catalog";
import { parseCsv } from "@/lib/datasets/csv";
import { datasetHashFromFiles, sha256Hex } from "@/lib/datasets/hash";
import { DATASETS_DIR, readDatasetFile } from "./helpers";

describe("catalog.json", () => {
  it("matches every committed file byte for byte", async () => {
    for (const entry of catalog.datasets) {
      for (const f of entry.files) {
        const bytes = await readDatasetFile(f.file);
        expect(bytes.byteLength, f.file).toBe(f.bytes);
        expect(await sha256Hex(bytes), f.file).toBe(f.sha256);
      }
      expect(entry.sha256).toBe(await datasetHashFromFiles(entry.files));
    }
  });

  it("describes each table's columns, rows and class balance", async () => {
    for (const entry of catalog.datasets) {
      expect(entry.title.es && entry.title.en && entry.description.es && entry.description.en).toBeTruthy();
      expect(entry.license.name).toBeTruthy();
      expect(entry.origin.script).toMatch(/^scripts\/datasets\/.+\.ts$/);
      if (entry.kind !== "table") continue;
      const parsed = parseCsv((await readDatasetFile(entry.files[0].file)).toString("utf8"));
      expect(parsed.columns, entry.name).toEqual(entry.columns.map((c) => c.name));
      expect(parsed.rows.length, entry.name).toBe(entry.rows);
      for (const c of entry.columns) {
        expect(c.description.es && c.description.en, `${entry.name}.${c.name}`).toBeTruthy();
        const expected = c.type === "number" || c.type === "integer" ? "number" : c.type === "boolean" ? "boolean" : "string";
        expect(parsed.types[c.name], `${entry.name}.${c.name}`).toBe(expected);
        if (c.type === "integer") {
          expect(parsed.rows.every((r) => r[c.name] === null || Number.isInteger(r[c.name])), `${entry.name}.${c.name}`).toBe(true);
        }
      }
      if (entry.balance) {
        const total = Object.values(entry.balance).reduce((a, b) => a + b, 0);
        expect(total).toBe(entry.rows);
        expect(entry.target).not.toBeNull();
      }
    }
  });

  it("lists every file in content/datasets and stays small", async () => {
    const listed = new Set(catalog.datasets.flatMap((d) => d.files.map((f) => f.file)));
    const present = (await readdir(DATASETS_DIR)).filter((f) => !["catalog.json", "README.md"].includes(f));
    expect(new Set(present)).toEqual(listed);
    let total = 0;
    for (const f of present) total += (await stat(path.join(DATASETS_DIR, f))).size;
    expect(total).toBeLessThan(15 * 1024 * 1024);
    const digits = catalog.datasets.find((d) => d.name === "digits")!;
    expect(digits.files.reduce((a, f) => a + f.bytes, 0)).toBeLessThanOrEqual(8 * 1024 * 1024);
  });
});
