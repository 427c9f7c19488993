// The one-check path for plain `{"instances": [[numbers], ...]}` bodies (lib/serving/protocols/
// plain-instances.ts) and the float32 formatting shortcut: each gives exactly what the general
// path gives, over the bodies and values the endpoints meet and over bodies the shortcut must
// leave to the general path (which then answers TF Serving's messages).
import { describe, expect, it } from "vitest";
import { parseJsonObjectOrThrow } from "@/lib/serving/protocols/json-body";
import { featureSignature, type ModelSignature } from "@/lib/serving/protocols/model";
import { plainInstanceRows } from "@/lib/serving/protocols/plain-instances";
import { decodePredictBodyOrThrow, decodePredictRequestOrThrow, featureRowsOrThrow, float32JsonNumber } from "@/lib/serving/protocols/tf-predict";
import { createRng } from "@/lib/ml/random";

/** The general path alone: decode to tensors, then to rows (or its error). */
function general(text: string, signature: ModelSignature): { rows: number[][] } | { error: string } {
  try {
    const doc = parseJsonObjectOrThrow(text);
    return { rows: featureRowsOrThrow(decodePredictRequestOrThrow(doc, signature).tensors, signature) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

function viaDecode(text: string, signature: ModelSignature): { rows: number[][]; format?: string } | { error: string } {
  try {
    const { rows, format } = decodePredictBodyOrThrow(text, Buffer.byteLength(text), signature);
    return { rows, format };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

const wide = featureSignature({ featureCount: 3 });
const one = featureSignature({ featureCount: 1 });
const named = featureSignature({ featureCount: 2, featureNames: ["a", "b"] });
const ints: ModelSignature = { inputs: [{ name: "x", dtype: "DT_INT32", shape: [-1, 2] }], outputs: [{ name: "y", dtype: "DT_FLOAT", shape: [-1] }] };
const shaped: ModelSignature = { inputs: [{ name: "x", dtype: "DT_FLOAT", shape: [-1, 2, 3] }], outputs: [{ name: "y", dtype: "DT_FLOAT", shape: [-1] }] };
const column: ModelSignature = { inputs: [{ name: "x", dtype: "DT_DOUBLE", shape: [-1, 3, 1] }], outputs: [{ name: "y", dtype: "DT_FLOAT", shape: [-1] }] };

describe("plainInstanceRows", () => {
  it("takes plain row bodies as the general path decodes them", () => {
    for (const [text, sig] of [
      ['{"instances": [[1, 2.5, -3e-2]]}', wide],
      [' {\n"instances" :[[0,-0,1E+3],[1.5e300, 2, 3]]}\t', wide],
      ['{"instances": [[7]]}', one],
      ['{"instances": [[1, 2, 3]]}', column],
    ] as const) {
      const rows = plainInstanceRows(parseJsonObjectOrThrow(text), sig);
      expect(rows).not.toBeNull();
      expect(rows).toEqual((general(text, sig) as { rows: number[][] }).rows);
      expect(Object.is(rows![0][0], (general(text, sig) as { rows: number[][] }).rows[0][0])).toBe(true); // -0 stays -0
    }
  });

  it("leaves every other body to the general path", () => {
    const others: [string, ModelSignature][] = [
      ['{"instances": [[1, 2]]}', wide], // narrower row: an error
      ['{"instances": [[1, 2, 3, 4]]}', wide], // wider
      ['{"instances": [[1, 2, 3], [1, 2]]}', wide], // ragged
      ['{"instances": []}', wide], // no instances: an error
      ['{"instances": [[1, "2", 3]]}', wide],
      ['{"instances": [[1, null, 3]]}', wide],
      ['{"instances": [[1, 1e400, 3]]}', wide], // Infinity once parsed: refused by the general path
      ['{"instances": [[1, [2], 3]]}', wide],
      ['{"instances": [1, 2, 3]}', one], // scalars per instance: the general path's business
      ['{"instances": [{"a": 1, "b": 2}]}', named],
      ['{"instances": [[1, 2]]}', named], // two named inputs
      ['{"instances": [[1, 2]]}', ints], // integer types are checked value by value
      ['{"instances": [[1, 2, 3, 4, 5, 6]]}', shaped], // [b, 6] does not match [b, 2, 3]
      ['{"signature_name": "serving_default", "instances": [[1, 2, 3]]}', wide],
      ['{"instances": [[1, 2, 3]], "inputs": [[1, 2, 3]]}', wide],
      ['{"inputs": [[1, 2, 3]]}', wide],
      ['{"__proto__": [], "instances": [[1, 2, 3]]}', wide],
    ];
    for (const [text, sig] of others) expect(plainInstanceRows(parseJsonObjectOrThrow(text), sig), text).toBeNull();
  });

  it("decodePredictBodyOrThrow answers what the general path answers, rows or error, on random and broken bodies", () => {
    const rng = createRng(13);
    const pieces = ["[", "]", ",", "1", "-2.5", "1e400", '"x"', "null", "{", "}", '"instances"', ":", " ", "[[1,2,3]]", "[1,2,3]", "0.1"];
    const sigs = [wide, one, named, ints, shaped, column];
    let plain = 0;
    for (let i = 0; i < 4000; i++) {
      let text: string;
      if (i % 2 === 0) {
        // well-formed bodies of random widths and values
        // mostly the width the signature takes (1 or 3), sometimes another
        const width = rng.next() < 0.8 ? (sigs[i % sigs.length] === one ? 1 : 3) : 1 + Math.floor(rng.next() * 4);
        const rows = Array.from({ length: 1 + Math.floor(rng.next() * 4) }, () => Array.from({ length: width }, () => (rng.next() - 0.5) * 10 ** Math.floor(rng.next() * 12 - 6)));
        text = JSON.stringify({ instances: rows });
      } else {
        text = '{"instances": [' + Array.from({ length: Math.floor(rng.next() * 8) }, () => pieces[Math.floor(rng.next() * pieces.length)]).join("") + "]}";
      }
      const sig = sigs[i % sigs.length];
      const want = general(text, sig);
      const got = viaDecode(text, sig);
      if ("rows" in got) {
        expect(got.format).toBe("row");
        plain++;
      }
      expect("rows" in got ? { rows: got.rows } : got, text).toEqual(want);
    }
    expect(plain).toBeGreaterThan(300);
  });
});

describe("float32JsonNumber", () => {
  /** The definition: the fewest significant digits that read back as the same float32. */
  function shortest(v: number): number {
    if (!Number.isFinite(v)) return v;
    const f = Math.fround(v);
    for (let p = 1; p <= 9; p++) {
      const n = Number(f.toPrecision(p));
      if (Math.fround(n) === f) return n;
    }
    return f;
  }

  it("gives the shortest decimal that reads back as the float32, as the plain loop over precisions does", () => {
    const rng = createRng(5);
    const bits = new Uint32Array(1);
    const asFloat = new Float32Array(bits.buffer);
    const values: number[] = [0, -0, NaN, Infinity, -Infinity, 0.1, 0.5, 1, 4, 16777216, 16777217, 3.4028234663852886e38, 1.401298464324817e-45, 1.1754943508222875e-38];
    for (let i = 0; i < 200_000; i++) {
      bits[0] = Math.floor(rng.next() * 2 ** 32);
      values.push(asFloat[0]); // every kind of float32: subnormals, huge, tiny, negative
      values.push(1 / (1 + Math.exp(-(rng.next() * 20 - 10)))); // sigmoid scores
    }
    for (let k = -149; k <= 127; k++) values.push(2 ** k, -(2 ** k), Math.fround(2 ** k) * (1 + 2 ** -23), Math.fround(2 ** k) * (1 - 2 ** -24));
    for (let k = -45; k <= 38; k++) for (const m of [1, 2, 5, 9.999999, 1.0000001, 3.3333333]) values.push(m * 10 ** k, -m * 10 ** k);
    // every float32 just above 1, 0.1 and the smallest normal
    for (const start of [0x3f800000, 0x3dcccccd, 0x00800000]) for (let j = 0; j < 20_000; j++) {
      bits[0] = start + j;
      values.push(asFloat[0]);
    }
    let mismatches = 0;
    for (const v of values) if (!Object.is(float32JsonNumber(v), shortest(v))) mismatches++;
    expect(mismatches).toBe(0);
  });
});
