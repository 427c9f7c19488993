// The committed one-click challenges are exactly what scripts/challenges/build-templates.ts
// writes, their hidden rows are not in the public datasets, and nothing serves them.
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { GET } from "@/app/datasets/[name]/route";
import { parseTemplate } from "@/lib/challenges/template";
import { prepareHiddenTable } from "@/lib/challenges/tables";
import { publicMaskFor } from "@/lib/challenges/split";
import { assertScorable, createScoringPlan } from "@/lib/challenges/scoring";
import { findCatalogFile } from "@/lib/datasets/catalog";
import { parseCsv } from "@/lib/datasets/csv";
import { buildTemplates, CHALLENGES_DIR, templateJson } from "@/scripts/challenges/build-templates";

const ROOT = path.join(CHALLENGES_DIR, "..", "..");

describe("challenge templates", () => {
  const built = buildTemplates();

  it("are committed byte for byte as the script builds them", async () => {
    expect(built.map((b) => b.template.id)).toEqual(["fraud-pr-auc", "magnet-faulty-f1"]);
    expect((await readdir(CHALLENGES_DIR)).sort()).toEqual(["fraud-pr-auc", "magnet-faulty-f1"]);
    for (const { template, hiddenCsv } of built) {
      const dir = path.join(CHALLENGES_DIR, template.id);
      expect(await readFile(path.join(dir, "challenge.json"), "utf8")).toBe(templateJson(template));
      const hidden = await readFile(path.join(dir, "hidden.csv"), "utf8");
      expect(hidden === hiddenCsv, `${template.id}/hidden.csv is stale: npx tsx scripts/challenges/build-templates.ts`).toBe(true);
      expect(Buffer.byteLength(hidden)).toBeLessThan(1.5 * 1024 * 1024);
      expect(parseTemplate(JSON.parse(templateJson(template)), template.id)).toEqual(template);
    }
  });

  it("hold 2,000–4,000 labelled rows with both classes, scorable on both parts", () => {
    for (const { template, hiddenCsv } of built) {
      expect(template.hiddenRows).toBeGreaterThanOrEqual(2000);
      expect(template.hiddenRows).toBeLessThanOrEqual(4000);
      const p = prepareHiddenTable(hiddenCsv, { targetColumn: template.targetColumn, idColumn: template.idColumn });
      expect(p.ids).toHaveLength(template.hiddenRows);
      expect(p.featuresCsv.split("\n")[0].split(",")).not.toContain(template.targetColumn);
      expect(Object.keys(template.balance!)).toEqual(["0", "1"]);
      const mask = publicMaskFor(p.labels, 0.3, "any-id", true);
      expect(() => assertScorable(createScoringPlan(template.metric, { ids: p.ids, labels: p.labels, publicMask: mask }, template.positiveLabel))).not.toThrow();
    }
  });

  it("share no row with the public datasets students train on", async () => {
    for (const { template, hiddenCsv } of built) {
      const entry = findCatalogFile(`${template.trainDataset}.csv`)!;
      expect(entry).toBeTruthy();
      const publicCsv = await readFile(path.join(ROOT, "content", "datasets", `${template.trainDataset}.csv`), "utf8");
      const pub = parseCsv(publicCsv, { infer: false });
      const hid = parseCsv(hiddenCsv, { infer: false });
      const features = pub.columns.filter((c) => c !== "id" && c !== template.targetColumn);
      const key = (r: Record<string, unknown>) => features.map((c) => r[c]).join("|");
      const seen = new Set(pub.rows.map(key));
      expect(hid.rows.filter((r) => seen.has(key(r))), template.id).toEqual([]);
      // and no hidden id is a public one
      if (pub.columns.includes("id")) {
        const ids = new Set(pub.rows.map((r) => r.id));
        expect(hid.rows.filter((r) => ids.has(r.id))).toEqual([]);
      }
    }
  });

  it("are never served: the datasets route knows only catalog files", async () => {
    for (const name of ["hidden.csv", "challenge.json", "fraud-pr-auc", "..%2Fchallenges%2Ffraud-pr-auc%2Fhidden.csv", "../challenges/fraud-pr-auc/hidden.csv"]) {
      expect(findCatalogFile(name)).toBeFalsy();
      const res = await GET(new Request(`http://localhost/datasets/${encodeURIComponent(name)}`), { params: Promise.resolve({ name }) });
      expect(res.status, name).toBe(404);
    }
    // nothing under public/ (served as static files) holds challenge data
    const walk = async (dir: string): Promise<string[]> => {
      const out: string[] = [];
      for (const e of await readdir(dir, { withFileTypes: true })) {
        const full = path.join(dir, e.name);
        if (e.isDirectory()) out.push(...(await walk(full)));
        else out.push(full);
      }
      return out;
    };
    const files = await walk(path.join(ROOT, "public")).catch(() => [] as string[]);
    expect(files.filter((f) => /challenge|hidden\.csv/.test(f))).toEqual([]);
  });
});
