import { describe, expect, it } from "vitest";
import { contentDisposition, CSV_BOM, csvNumber, csvText, toCsv } from "@/lib/gradebook/csv";

describe("gradebook CSV", () => {
  it("writes Spanish with a BOM, ';' and a decimal comma; English with ',' and a decimal point", () => {
    const es = toCsv(["Estudiante", "Total (%)"], [[{ text: "Sofía" }, { number: 85.5 }]], "es");
    expect(es).toBe(`${CSV_BOM}Estudiante;Total (%)\r\nSofía;85,5\r\n`);
    const en = toCsv(["Student", "Total (%)"], [[{ text: "Sofía" }, { number: 85.5 }]], "en");
    expect(en).toBe(`${CSV_BOM}Student,Total (%)\r\nSofía,85.5\r\n`);
  });

  it("quotes per RFC 4180: delimiter, quotes and line breaks", () => {
    const text = toCsv(["a"], [[{ text: 'Pérez; "Tito"\nJr' }], [{ text: "x,y" }]], "es");
    expect(text).toBe(`${CSV_BOM}a\r\n"Pérez; ""Tito""\nJr"\r\nx,y\r\n`);
    expect(toCsv(["a"], [[{ text: "x,y" }]], "en")).toBe(`${CSV_BOM}a\r\n"x,y"\r\n`);
  });

  it("neutralises formula injection in text cells but not in numbers", () => {
    for (const evil of ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx"]) expect(csvText(evil)).toBe(`'${evil}`);
    expect(csvText("Ana")).toBe("Ana");
    const text = toCsv(["=HYPERLINK()"], [[{ text: "=cmd|' /C calc'!A0" }, { number: -0.5 }]], "en");
    expect(text).toContain("'=HYPERLINK()");
    expect(text).toContain("'=cmd|' /C calc'!A0,-0.5");
  });

  it("formats numbers without grouping, at most two decimals, empty for none", () => {
    expect(csvNumber(100, "es")).toBe("100");
    expect(csvNumber(1234.5678, "es")).toBe("1234,57");
    expect(csvNumber(1 / 3, "en")).toBe("0.33");
    expect(csvNumber(null, "en")).toBe("");
    expect(csvNumber(Number.NaN, "en")).toBe("");
    expect(csvNumber(-0.001, "en")).toBe("0");
    expect(csvNumber(10, "en", 0)).toBe("10");
  });

  it("gives a download name safe in a header, with the UTF-8 name beside it", () => {
    const h = contentDisposition('calificaciones-MLOps "Martes"\r\n.csv');
    expect(h).toMatch(/^attachment; filename="[\w.\- ]+"; filename\*=UTF-8''/);
    expect(h).not.toMatch(/[\r\n]/);
    expect(contentDisposition("calificaciones-Año.csv")).toContain("filename*=UTF-8''calificaciones-A%C3%B1o.csv");
  });
});
