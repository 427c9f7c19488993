import { describe, expect, it } from "vitest";
import { isTeachDataset, loadTeachDataset } from "@/lib/teach/dataset-loader";

describe("data.load of an instructor's dataset", () => {
  it("asks the app only for names the course does not have, in an instructor's lesson", () => {
    expect(isTeachDataset("ventas", "u-abcdefghij")).toBe(true);
    expect(isTeachDataset("fraud", "u-abcdefghij")).toBe(false);
    expect(isTeachDataset("ventas", "mlops-intro")).toBe(false);
    expect(isTeachDataset("ventas", null)).toBe(false);
    expect(isTeachDataset("../etc", "u-abcdefghij")).toBe(false);
  });

  it("reads the served CSV as a typed table and names a missing one clearly", async () => {
    const urls: string[] = [];
    const serve = async (url: string) => {
      urls.push(url);
      return url.includes("name=ventas") ? new Response("x,label\n1,true\n2,false\n") : new Response("Not found", { status: 404 });
    };
    const ds = await loadTeachDataset("ventas", "u-abcdefghij", serve);
    expect(urls[0]).toBe("/api/teach/datasets?lesson=u-abcdefghij&name=ventas");
    expect(ds.kind).toBe("table");
    if (ds.kind !== "table") return;
    expect(ds.columns).toEqual(["x", "label"]);
    expect(ds.rows).toEqual([{ x: 1, label: true }, { x: 2, label: false }]);
    await expect(loadTeachDataset("otra", "u-abcdefghij", serve)).rejects.toThrow(/Unknown dataset "otra"/);
  });
});
