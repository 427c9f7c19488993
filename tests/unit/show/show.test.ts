import { inflateSync, crc32 as zlibCrc32 } from "node:zlib";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import Ajv from "ajv";
import {
  PNG_SIGNATURE,
  TABLE_MIME,
  TENSOR_MIME,
  VEGA_LITE_MIME,
  bar,
  confusion,
  encodePng,
  formatValue,
  histogram,
  histogramBins,
  history,
  html,
  images,
  json,
  line,
  markdown,
  pr,
  prCurve,
  roc,
  rocCurve,
  scatter,
  table,
  tensor,
} from "@/lib/show";
import type { TableView, TensorView } from "@/lib/notebook/types";

// The official Vega-Lite JSON schema shipped with the vega-lite package.
const vlSchema = JSON.parse(readFileSync("node_modules/vega-lite/build/vega-lite-schema.json", "utf8"));
const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: false });
const validateVl = ajv.compile(vlSchema);

type Spec = Record<string, any>;
function spec(bundle: Record<string, unknown>): Spec {
  const s = bundle[VEGA_LITE_MIME] as Spec;
  expect(s).toBeTruthy();
  expect(s.$schema).toBe("https://vega.github.io/schema/vega-lite/v5.json");
  const ok = validateVl(s);
  if (!ok) throw new Error("invalid Vega-Lite: " + JSON.stringify(validateVl.errors?.slice(0, 3)));
  expect(typeof bundle["text/plain"]).toBe("string");
  // Structured-clone/JSON safe.
  expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  return s;
}

function decodePng(b64: string | Uint8Array) {
  const buf = typeof b64 === "string" ? Buffer.from(b64, "base64") : Buffer.from(b64);
  expect([...buf.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
  let o = 8;
  const chunks: { type: string; data: Buffer }[] = [];
  while (o < buf.length) {
    const len = buf.readUInt32BE(o);
    const type = buf.toString("latin1", o + 4, o + 8);
    const data = buf.subarray(o + 8, o + 8 + len);
    expect(buf.readUInt32BE(o + 8 + len)).toBe(zlibCrc32(buf.subarray(o + 4, o + 8 + len)));
    chunks.push({ type, data });
    o += 12 + len;
  }
  expect(chunks.map((c) => c.type)).toEqual(["IHDR", "IDAT", "IEND"]);
  const ihdr = chunks[0].data;
  const width = ihdr.readUInt32BE(0);
  const height = ihdr.readUInt32BE(4);
  const colorType = ihdr[9];
  const channels = colorType === 0 ? 1 : colorType === 2 ? 3 : 4;
  const raw = inflateSync(Buffer.concat(chunks.filter((c) => c.type === "IDAT").map((c) => c.data)));
  expect(raw.length).toBe(height * (width * channels + 1));
  const pixels = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    expect(raw[y * (width * channels + 1)]).toBe(0);
    pixels.set(raw.subarray(y * (width * channels + 1) + 1, (y + 1) * (width * channels + 1)), y * width * channels);
  }
  return { width, height, channels, bitDepth: ihdr[8], pixels };
}

describe("charts", () => {
  it("the Vega-Lite schema check rejects broken specs", () => {
    expect(validateVl({ $schema: "x", mark: "nope", data: { values: [] } })).toBe(false);
    expect(validateVl({ mark: "line", encoding: { x: { field: "a", type: "continuous" } } })).toBe(false);
  });

  it("line: long-format data with one row per point and series", () => {
    const s = spec(line({ x: [1, 2, 3], series: { loss: [3, 2, 1], acc: [0.1, 0.5, NaN] } }, { title: "t" }));
    expect(s.mark.type).toBe("line");
    expect(s.title).toBe("t");
    expect(s.data.values).toHaveLength(6);
    expect(s.data.values[0]).toEqual({ x: 1, series: "loss", value: 3 });
    expect(s.data.values[5]).toEqual({ x: 3, series: "acc", value: null });
    expect(() => line({ series: {} })).toThrow(/at least one series/);
  });

  it("scatter, with categorical colour", () => {
    const s = spec(scatter({ x: [1, 2], y: [3, 4], color: ["a", "b"] }, { xLabel: "X" }));
    expect(s.mark.type).toBe("point");
    expect(s.encoding.color.type).toBe("nominal");
    expect(s.encoding.x.title).toBe("X");
    expect(s.data.values).toEqual([
      { x: 1, y: 3, color: "a" },
      { x: 2, y: 4, color: "b" },
    ]);
    expect(() => scatter({ x: [1], y: [1, 2] })).toThrow(/x has 1 values but y has 2/);
  });

  it("bar keeps label order", () => {
    const s = spec(bar({ labels: ["b", "a"], values: [2, 1] }));
    expect(s.mark.type).toBe("bar");
    expect(s.encoding.x.sort).toBeNull();
    expect(s.data.values.map((v: any) => v.label)).toEqual(["b", "a"]);
  });

  it("histogram bins like numpy (last bin closed)", () => {
    expect(histogramBins([0, 1, 2, 3, 4], 2)).toEqual({ edges: [0, 2, 4], counts: [2, 3] });
    const values = Array.from({ length: 1000 }, (_, i) => i % 10);
    const s = spec(histogram(values, { bins: 5 }));
    expect(s.data.values).toHaveLength(5);
    expect(s.data.values.reduce((a: number, v: any) => a + v.count, 0)).toBe(1000);
    expect(s.encoding.x.bin).toEqual({ binned: true });
  });

  it("history: training vs validation by dash, metrics filter", () => {
    const entries = [
      { epoch: 0, logs: { loss: 1, val_loss: 1.2, acc: 0.5, val_acc: 0.4 } },
      { epoch: 1, logs: { loss: 0.5, val_loss: 0.8, acc: 0.7, val_acc: 0.6 } },
    ];
    const s = spec(history(entries));
    expect(s.data.values).toHaveLength(8);
    expect(s.data.values[1]).toEqual({ epoch: 0, metric: "loss", split: "validation", value: 1.2 });
    const only = spec(history(entries, { metrics: ["loss"] }));
    expect(new Set(only.data.values.map((v: any) => v.metric))).toEqual(new Set(["loss"]));
    expect(only.data.values).toHaveLength(4);
    expect(history([], {})["text/plain"]).toMatch(/no epochs/);
  });

  it("confusion: a heatmap with counts", () => {
    const b = confusion(
      [
        [50, 2],
        [3, 7],
      ],
      ["ok", "fraud"],
    );
    const s = spec(b);
    expect(s.layer.map((l: any) => l.mark.type)).toEqual(["rect", "text"]);
    expect(s.data.values).toContainEqual({ actual: "fraud", predicted: "ok", count: 3 });
    expect(b["text/plain"]).toMatch(/fraud\s+3\s+7/);
    expect(() => confusion([[1, 2]], ["a", "b"])).toThrow(/2×2/);
  });
});

describe("roc and pr", () => {
  const y = [0, 0, 1, 1];
  const s = [0.1, 0.4, 0.35, 0.8];

  it("match scikit-learn on the textbook example", () => {
    const r = rocCurve(y, s);
    expect(r.auc).toBeCloseTo(0.75, 10);
    expect(r.fpr).toEqual([0, 0, 0.5, 0.5, 1]);
    expect(r.tpr).toEqual([0, 0.5, 0.5, 1, 1]);
    // sklearn.metrics.average_precision_score([0,0,1,1],[0.1,0.4,0.35,0.8]) == 0.8333…
    expect(prCurve(y, s).averagePrecision).toBeCloseTo(0.8333333, 6);
  });

  it("handle ties as one threshold", () => {
    const r = rocCurve([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5]);
    expect(r.fpr).toEqual([0, 1]);
    expect(r.auc).toBeCloseTo(0.5);
    expect(rocCurve([0, 1], [0.2, 0.9]).auc).toBe(1);
  });

  it("build specs with the area in the title", () => {
    const rs = spec(roc(y, s));
    expect(rs.title).toBe("ROC — AUC = 0.750");
    expect(rs.layer[1].data.values[0]).toEqual({ x: 0, y: 0 });
    const ps = spec(pr(y, s, { title: "Modelo" }));
    expect(ps.title).toBe("Modelo — AP = 0.833");
    expect(ps.layer[0].data.values[0].y).toBe(0.5); // prevalence line
    expect(() => roc([1, 1], [0.1, 0.2])).toThrow(/both positive and negative/);
  });
});

describe("table", () => {
  it("from rows of objects, with keys in order of appearance", () => {
    const b = table([{ a: 1, b: "x" }, { a: 2, c: true }], { title: "T", pageSize: 5 });
    const v = b[TABLE_MIME] as TableView;
    expect(v).toEqual({
      columns: ["a", "b", "c"],
      rows: [
        [1, "x", null],
        [2, null, true],
      ],
      title: "T",
      pageSize: 5,
    });
    expect(b["text/plain"]).toMatch(/^T — 2 rows × 3 columns/);
  });

  it("from a TableDataset and from arrays", () => {
    const ds = { kind: "table" as const, name: "fraud", columns: ["amount", "is_fraud"], rows: [{ amount: 3.5, is_fraud: 0 }] };
    expect((table(ds)[TABLE_MIME] as TableView).rows).toEqual([[3.5, 0]]);
    expect((table(ds)[TABLE_MIME] as TableView).title).toBe("fraud");
    expect((table([[1, 2], [3, 4]])[TABLE_MIME] as TableView).columns).toEqual(["0", "1"]);
  });
});

describe("PNG and images", () => {
  it("encodes a decodable PNG with the right size and pixels", () => {
    const data = new Uint8Array([0, 64, 128, 255, 1, 2]);
    const d = decodePng(encodePng({ width: 3, height: 2, channels: 1, data }));
    expect(d).toMatchObject({ width: 3, height: 2, channels: 1, bitDepth: 8 });
    expect([...d.pixels]).toEqual([...data]);
  });

  it("encodes large RGB images losslessly", () => {
    const data = new Uint8Array(300 * 300 * 3).map((_, i) => i % 251);
    const d = decodePng(encodePng({ width: 300, height: 300, channels: 3, data }));
    expect(d.channels).toBe(3);
    expect(Buffer.compare(Buffer.from(d.pixels), Buffer.from(data))).toBe(0);
  });

  it("show.images draws a grid from [n,h,w] in [0,1]", () => {
    const n = 3;
    const h = 4;
    const w = 5;
    const values = new Float32Array(n * h * w);
    values[0] = 1; // first pixel of the first image white
    const b = images({ shape: [n, h, w], dtype: "float32", data: values }, { cols: 2, scale: 1 });
    const d = decodePng(b["image/png"] as string);
    expect(d.width).toBe(2 * w + 2);
    expect(d.height).toBe(2 * h + 2);
    expect(d.pixels[0]).toBe(255);
    expect(d.pixels[1]).toBe(0);
    expect(d.pixels[w]).toBe(255); // the gap between columns is white
    expect(b["text/plain"]).toBe("3 images 4×5");
  });

  it("scales small images up, reads 0–255 data, adds labelled HTML", () => {
    const ds = { kind: "images", count: 2, height: 28, width: 28, images: new Float32Array(2 * 28 * 28).fill(128), labels: new Int32Array([7, 3]) };
    const b = images(ds as any);
    const d = decodePng(b["image/png"] as string);
    expect(d.width).toBe(2 * 28 * 2 + 2);
    expect(d.pixels[0]).toBe(128);
    expect(b["text/html"]).toContain("<figcaption>7</figcaption>");
    expect(b["text/plain"]).toMatch(/labels: 7 3/);
  });

  it("accepts nested arrays and RGB", () => {
    const rgb = [[[[255, 0, 0], [0, 255, 0]]]]; // [1,1,2,3]
    const d = decodePng(images(rgb, { scale: 1 })["image/png"] as string);
    expect(d).toMatchObject({ width: 2, height: 1, channels: 3 });
    expect([...d.pixels]).toEqual([255, 0, 0, 0, 255, 0]);
    expect(() => images([1, 2, 3])).toThrow(/height, width/);
  });
});

describe("tensor, text and formatValue", () => {
  it("tensor view with stats and truncation", () => {
    const data = Float32Array.from({ length: 2000 }, (_, i) => i);
    const b = tensor({ shape: [2, 1000], dtype: "float32", data });
    const v = b[TENSOR_MIME] as TensorView;
    expect(v.values).toHaveLength(1000);
    expect(v.truncated).toBe(true);
    expect(v.stats).toEqual({ min: 0, max: 1999, mean: 999.5 });
    expect(tensor({ shape: [2, 2], values: [1, 2, 3, 4] })["text/plain"]).toContain("[[1, 2],\n [3, 4]]");
    expect(() => tensor({ shape: [3], data: [1] })).toThrow(/needs 3 values/);
  });

  it("markdown, html, json", () => {
    expect(markdown("# hi")).toEqual({ "text/markdown": "# hi", "text/plain": "# hi" });
    expect(html("<b>x</b> y")["text/plain"]).toBe("x y");
    const cyc: any = { a: 1, n: NaN };
    cyc.self = cyc;
    expect(json(cyc)["application/json"]).toEqual({ a: 1, n: "NaN", self: "[Circular]" });
  });

  it("formatValue picks the right representation", () => {
    expect(formatValue(42)).toEqual({ "text/plain": "42" });
    expect(formatValue("hola")).toEqual({ "text/plain": "hola" });
    expect(formatValue(new RangeError("bad"))).toEqual({ "text/plain": "RangeError: bad" });
    expect(formatValue([1, 2])["application/json"]).toEqual([1, 2]);
    expect(formatValue(new Map([["a", 1]]))).toMatchObject({ "application/json": { a: 1 }, "text/plain": 'Map(1) {"a" => 1}' });
    expect(formatValue({ shape: [2], dtype: "int32", values: [1, 2] })[TENSOR_MIME]).toBeTruthy();
    expect(formatValue({ shape: [2], dataSync: () => new Float32Array([1, 2]) })[TENSOR_MIME]).toBeTruthy();
    expect(formatValue({ kind: "table", columns: ["a"], rows: [{ a: 1 }] })[TABLE_MIME]).toBeTruthy();
    expect(formatValue(new Float32Array([1, 2]))["text/plain"]).toBe("Float32Array(2) [1, 2]");
    expect(formatValue(Promise.resolve(1))["text/plain"]).toMatch(/await/);
    expect(formatValue({ shape: [3], values: [1] })["application/json"]).toEqual({ shape: [3], values: [1] });
  });
});

describe("tfjs-like inputs", () => {
  // Minimal stand-ins with the tfjs Tensor methods the builders use (dataSync / arraySync).
  const t1 = (values: number[]) => ({ shape: [values.length], dtype: "float32", dataSync: () => Float32Array.from(values), arraySync: () => values });
  it("histogram, line, roc and confusion accept tensors", () => {
    const h = spec(histogram(t1([1, 2, 3, 4]) as unknown as number[], { bins: 2 }));
    expect(h.data.values.map((v: any) => v.count)).toEqual([2, 2]);
    const l = spec(line({ series: { loss: t1([3, 2]) as unknown as number[] } }));
    expect(l.data.values).toHaveLength(2);
    expect(rocCurve(t1([0, 0, 1, 1]) as any, t1([0.1, 0.4, 0.35, 0.8]) as any).auc).toBeCloseTo(0.75);
    const m = { arraySync: () => [[1, 2], [3, 4]] };
    expect(spec(confusion(m as unknown as number[][], ["a", "b"])).data.values).toContainEqual({ actual: "b", predicted: "a", count: 3 });
    expect(() => histogram(5 as unknown as number[])).toThrow(/array of numbers/);
  });
});

describe("formatValue on big object graphs", () => {
  it("stays bounded on shared sub-objects and class instances", () => {
    // A DAG that doubles at each level: 2^30 paths if walked naively.
    let node: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 30; i++) node = { a: node, b: node };
    const t0 = Date.now();
    const text = formatValue(node)["text/plain"] as string;
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(text.length).toBeLessThanOrEqual(20_002);
    class Model {
      layers = [{ inner: { deep: { deeper: 1 } } }];
      name = "m";
    }
    expect(formatValue(new Model())["application/json"]).toEqual({ layers: [{ inner: { deep: { deeper: 1 } } }], name: "m" });
    expect(formatValue({ run: { model: new Model() } })["application/json"]).toEqual({ run: { model: "[Model]" } });
  });
});

describe("deflate", () => {
  it("round-trips through zlib.inflateSync on varied inputs and compresses repetitive data", async () => {
    const { zlibDeflate, zlibStored } = await import("@/lib/show/png");
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
    const inputs = [
      new Uint8Array(0),
      new Uint8Array([1]),
      new Uint8Array(100_000), // zeros: long runs, overlapping matches
      Uint8Array.from({ length: 70_000 }, rnd), // incompressible: falls back to stored
      Uint8Array.from({ length: 90_000 }, (_, i) => (i % 1000 < 500 ? i % 7 : rnd() % 4)), // mixed, distances up to 32K
      new TextEncoder().encode("abcabcabcabd".repeat(5000) + "xyz"),
    ];
    for (const input of inputs) {
      const z = zlibDeflate(input);
      expect(Buffer.compare(inflateSync(z), Buffer.from(input))).toBe(0);
      expect(z.length).toBeLessThanOrEqual(zlibStored(input).length);
    }
    expect(zlibDeflate(new Uint8Array(100_000)).length).toBeLessThan(2000);
  });

  it("a 64-digit grid stays small", () => {
    const values = new Float32Array(64 * 28 * 28).map((_, i) => ((i % 28) > 9 && (i % 28) < 18 && (Math.floor(i / 28) % 28) > 6 ? 1 : 0));
    const b64 = images({ shape: [64, 28, 28], data: values })["image/png"] as string;
    const d = decodePng(b64);
    expect(d.width).toBe(8 * 56 + 7 * 2);
    expect(b64.length).toBeLessThan(40_000);
  });
});
