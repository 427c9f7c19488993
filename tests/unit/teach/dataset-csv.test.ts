import { describe, expect, it } from "vitest";
import { LessonImportError } from "@/lib/teach/errors";
import { inspectCsv, MAX_DATASET_BYTES } from "@/lib/teach/dataset-csv";

const bytes = (s: string) => new TextEncoder().encode(s);
function refusal(f: () => unknown): LessonImportError {
  try {
    f();
  } catch (e) {
    if (e instanceof LessonImportError) return e;
    throw e;
  }
  throw new Error("not refused");
}

describe("instructors' CSV datasets", () => {
  it("infers column types, counts rows and keeps a preview (quotes, CRLF, blank lines, missing values)", () => {
    const s = inspectCsv(bytes('id,score,ok,name\r\n1,0.5,true,"Ana, la ""primera"""\r\n2,,false,Beto\r\n\r\n3,1e-3,TRUE,"007"\n'));
    expect(s.columns).toEqual([
      { name: "id", type: "number" },
      { name: "score", type: "number" },
      { name: "ok", type: "boolean" },
      { name: "name", type: "string" },
    ]);
    expect(s.rowCount).toBe(3);
    expect(s.preview[0]).toEqual(["1", "0.5", "true", 'Ana, la "primera"']);
    expect(s.preview[1]).toEqual(["2", null, "false", "Beto"]);
    // A quoted number is text, as lib/datasets/csv.ts reads it.
    expect(inspectCsv(bytes('code\n"007"\n"008"\n')).columns[0]!.type).toBe("string");
  });

  it("refuses a ragged row naming it, a 51 MB file, an empty file, a bad header and non-UTF-8 bytes", () => {
    const ragged = refusal(() => inspectCsv(bytes("a,b\n1,2\n3\n4,5\n")));
    expect(ragged.key).toBe("csvRagged");
    expect(ragged.params).toEqual({ row: 2, line: 3, found: 1, expected: 2 });
    const big = new Uint8Array(MAX_DATASET_BYTES + 1024 * 1024).fill(0x31);
    expect(refusal(() => inspectCsv(big)).key).toBe("csvTooLarge");
    expect(refusal(() => inspectCsv(bytes("a,b\n"))).key).toBe("csvEmpty");
    expect(refusal(() => inspectCsv(bytes("a,a\n1,2\n"))).key).toBe("csvHeader");
    expect(refusal(() => inspectCsv(new Uint8Array([0x61, 0x0a, 0xff, 0xfe]))).key).toBe("csvNotText");
  });

  it("scans a large file in linear time", () => {
    const row = "1.5,abc,true,42\n";
    const text = "w,x,y,z\n" + row.repeat(500_000);
    const t0 = performance.now();
    const s = inspectCsv(bytes(text));
    expect(s.rowCount).toBe(500_000);
    expect(performance.now() - t0).toBeLessThan(10_000);
  });
});
