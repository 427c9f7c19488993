// The server reports filter mistakes in MLflow's English wording; this maps each kind to a
// translated message (namespace tracking.filterError) while the page still shows the original.
import { TRPCClientError } from "@trpc/client";

export interface FilterProblem {
  key: string;
  values: Record<string, string>;
  detail: string;
}

const patterns: [RegExp, string, string[]][] = [
  [/unterminated quote/, "unterminatedQuote", []],
  [/unexpected character '(.*)' at (\d+)/, "unexpectedChar", ["char", "pos"]],
  [/^Invalid identifier '(.*?)' in /, "badIdentifier", ["id"]],
  [/^Invalid entity type '(.*?)' in /, "badEntity", ["entity"]],
  [/^Missing key after '(.*?)' in /, "missingKey", ["prefix"]],
  [/^Invalid attribute key '(.*?)' specified\. Valid keys are (.*)$/, "badAttribute", ["key", "valid"]],
  [/expected an identifier$/, "expectedIdentifier", []],
  [/expected NULL or NOT NULL after IS$/, "expectedNull", []],
  [/expected a comparator after '(.*)'$/, "expectedComparator", ["key"]],
  [/^Invalid comparator '(.*?)' (?:not one of '.*' )?for (?:attribute|numeric key|metric|param|tag|attribute) '(.*)'$/, "badComparator", ["op", "key"]],
  [/(IN lists hold quoted strings|in IN list|unterminated IN list|expected '\(' after)/, "badInList", []],
  [/missing value after '(.*)'$/, "missingValue", ["op"]],
  [/^Expected numeric value type for \w+ '(.*)'\. Found (.*)$/, "expectedNumber", ["key", "found"]],
  [/^Value for \w+ '(.*)' must be a quoted string\. Found (.*)$/, "expectedString", ["key", "found"]],
  [/clauses must be joined with AND$/, "needAnd", []],
  [/dangling AND$/, "danglingAnd", []],
  [/^Invalid order_by clause/, "badOrderBy", []],
];

/** A translated description of a bad-filter error, or null when the error is something else. */
export function filterProblem(error: unknown): FilterProblem | null {
  if (!(error instanceof TRPCClientError)) return null;
  const data = error.data as { messageKey?: string; fieldErrors?: Record<string, string[]> } | undefined;
  if (data?.messageKey !== "invalidInput") return null;
  if (data.fieldErrors?.filter) return { key: "tooLong", values: {}, detail: data.fieldErrors.filter.join("; ") };
  const detail = error.message;
  for (const [re, key, names] of patterns) {
    const m = re.exec(detail);
    if (m) return { key, values: Object.fromEntries(names.map((n, i) => [n, m[i + 1] ?? ""])), detail };
  }
  return { key: "generic", values: {}, detail };
}
