// The gradebook as a CSV file that opens correctly in spreadsheet software in either language.
//
// Choices (issue 12, point 6):
// - UTF-8 with a byte-order mark, so Excel reads accents and ñ as UTF-8 instead of the system code page.
// - Spanish: `;` between fields and a decimal comma ("85,5"), because spreadsheet software in a
//   Spanish locale uses the comma as decimal separator and expects `;` as list separator.
//   English: `,` between fields and a decimal point.
// - Fields quoted per RFC 4180 when they hold the delimiter, a quote, CR or LF; quotes doubled;
//   rows end in CRLF.
// - Text that a spreadsheet would run as a formula (starting with = + - @ tab or CR) gets a
//   leading apostrophe (OWASP "CSV injection"); numbers we write ourselves are left alone.

export type CsvLocale = "es" | "en";

export const CSV_BOM = "\uFEFF";

export function csvDialect(locale: CsvLocale): { delimiter: string; decimal: string } {
  return locale === "es" ? { delimiter: ";", decimal: "," } : { delimiter: ",", decimal: "." };
}

/** Text cell: neutralised against formula injection. */
export function csvText(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** A number in the locale's decimal form, at most `digits` decimals, no grouping; empty for null. */
export function csvNumber(value: number | null, locale: CsvLocale, digits = 2): string {
  if (value === null || !Number.isFinite(value)) return "";
  let fixed = (Math.round(value * 10 ** digits) / 10 ** digits).toFixed(digits);
  if (fixed.includes(".")) fixed = fixed.replace(/\.?0+$/, "");
  const text = fixed === "-0" ? "0" : fixed;
  return locale === "es" ? text.replace(".", ",") : text;
}

function quote(field: string, delimiter: string): string {
  return field.includes(delimiter) || /["\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

export type CsvCell = { text: string } | { number: number | null };

/** The whole file: BOM, header row, data rows, CRLF line ends. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[], locale: CsvLocale): string {
  const { delimiter } = csvDialect(locale);
  const line = (cells: readonly string[]) => cells.map((c) => quote(c, delimiter)).join(delimiter);
  const render = (c: CsvCell) => ("text" in c ? csvText(c.text) : csvNumber(c.number, locale));
  return CSV_BOM + [line(header.map(csvText)), ...rows.map((r) => line(r.map(render)))].join("\r\n") + "\r\n";
}

/** A file name safe in a Content-Disposition header (ASCII fallback) plus its UTF-8 form. */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.normalize("NFKD").replace(/[^\w.\- ]/g, "").replace(/\s+/g, "-").slice(0, 100) || "gradebook.csv";
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
