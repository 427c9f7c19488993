// MLflow's run search grammar (the subset Cuaderno needs), parsed once and evaluated in memory
// against runs with their params, tags and latest metrics. Pure: no database, no Next.
//   metrics.acc > 0.9 and params.lr = '0.01' and tags.x != 'y' and attributes.status = 'FINISHED'
//   order_by: ["metrics.acc DESC", "attributes.start_time ASC"]
import { DomainError } from "@/lib/server/errors";
import { compileLike } from "./like-pattern";

export type Entity = "metric" | "param" | "tag" | "attribute" | "dataset";
export type Comparator = "=" | "!=" | ">" | ">=" | "<" | "<=" | "LIKE" | "ILIKE" | "IN" | "NOT IN" | "IS NULL" | "IS NOT NULL";

export interface Clause {
  entity: Entity;
  key: string;
  op: Comparator;
  value: string | number | string[] | null;
}
export interface OrderTerm {
  entity: Entity;
  key: string;
  asc: boolean;
}

/** What a filter or order term can look at; the runs service builds one per run. */
export interface Searchable {
  attributes: Record<string, string | number | boolean | null | undefined>;
  params: Record<string, string>;
  tags: Record<string, string>;
  metrics: Record<string, number>; // latest value per key (NaN/±Infinity possible)
  /** Runs only: one entry per dataset input ({name, digest, context}); datasets.* clauses match any. */
  datasets?: Record<string, string | null>[];
}

const ENTITY_ALIASES: Record<string, Entity> = {
  metric: "metric",
  metrics: "metric",
  param: "param",
  params: "param",
  parameter: "param",
  parameters: "param",
  tag: "tag",
  tags: "tag",
  attribute: "attribute",
  attributes: "attribute",
  attr: "attribute",
  run: "attribute",
  dataset: "dataset",
  datasets: "dataset",
};
export const DATASET_KEYS = new Set(["name", "digest", "context"]);

// Attributes of a run: numeric ones take numeric comparators, the rest string ones.
export const RUN_NUMERIC_ATTRIBUTES = new Set(["start_time", "end_time", "seed", "created", "duration"]);
export const RUN_STRING_ATTRIBUTES = new Set([
  "run_id",
  "run_name",
  "status",
  "user_id",
  "artifact_uri",
  "lifecycle_stage",
  "experiment_id",
  "backend",
  "device",
  "dataset_name",
  "dataset_hash",
  "lesson_slug",
  "class_id",
  "shared",
]);
const ATTRIBUTE_ALIASES: Record<string, string> = { run_uuid: "run_id", created: "start_time", "Created": "start_time" };

export interface AttributeSet {
  numeric: Set<string>;
  string: Set<string>;
}
export const RUN_ATTRIBUTES: AttributeSet = { numeric: RUN_NUMERIC_ATTRIBUTES, string: RUN_STRING_ATTRIBUTES };
export const EXPERIMENT_ATTRIBUTES: AttributeSet = {
  numeric: new Set(["creation_time", "last_update_time", "experiment_id"]),
  string: new Set(["name", "lifecycle_stage", "lesson_slug", "class_id"]),
};

const invalid = (message: string) => new DomainError("invalidInput", message);

type Tok =
  | { t: "ident"; v: string } // bare word, may contain dots
  | { t: "qident"; v: string } // `quoted` or "quoted" (a key or a string, decided by position)
  | { t: "str"; v: string } // 'single quoted'
  | { t: "num"; v: number }
  | { t: "op"; v: string }
  | { t: "("; v: "(" }
  | { t: ")"; v: ")" }
  | { t: ","; v: "," };

const isDigit = (s: string, i: number) => i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57;
const isWordOrDot = (s: string, i: number) => i < s.length && /[\w.]/.test(s[i]);

/**
 * End of the number starting at i (-?digits[.digits][e±digits], or -?.digits), or i when there is
 * none or it runs into a letter, digit or dot. A scan, not a RegExp: /\d+\.?\d*(?![\w.])/
 * backtracks quadratically over a long run of digits followed by a letter.
 */
function scanNumber(s: string, i: number): number {
  let j = i;
  if (s[j] === "-") j++;
  const intStart = j;
  while (isDigit(s, j)) j++;
  const intDigits = j - intStart;
  if (s[j] === ".") {
    const fracStart = j + 1;
    let k = fracStart;
    while (isDigit(s, k)) k++;
    if (intDigits === 0 && k === fracStart) return i;
    j = k;
  } else if (intDigits === 0) return i;
  if (s[j] === "e" || s[j] === "E") {
    let k = j + 1;
    if (s[k] === "+" || s[k] === "-") k++;
    const expStart = k;
    while (isDigit(s, k)) k++;
    if (k > expStart) j = k;
  }
  return isWordOrDot(s, j) ? i : j;
}

function tokenize(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "(" || c === ")" || c === ",") {
      out.push({ t: c, v: c } as Tok);
      i++;
      continue;
    }
    if (c === "'" || c === '"' || c === "`") {
      let j = i + 1;
      let v = "";
      while (j < s.length && s[j] !== c) {
        if (s[j] === "\\" && j + 1 < s.length) j++;
        v += s[j++];
      }
      if (j >= s.length) throw invalid(`Invalid filter '${s}': unterminated quote`);
      out.push(c === "'" ? { t: "str", v } : { t: "qident", v });
      i = j + 1;
      continue;
    }
    const op = /^(!=|<>|>=|<=|=|>|<)/.exec(s.slice(i));
    if (op) {
      out.push({ t: "op", v: op[1] === "<>" ? "!=" : op[1] });
      i += op[1].length;
      continue;
    }
    const numEnd = scanNumber(s, i);
    if (numEnd > i) {
      out.push({ t: "num", v: Number(s.slice(i, numEnd)) });
      i = numEnd;
      continue;
    }
    // A bare identifier; a dotted one may end in a quoted key: metrics."my key" / params.`a b`
    const id = /^[A-Za-z_][\w.\-:/]*/.exec(s.slice(i));
    if (id) {
      let v = id[0];
      i += v.length;
      if (v.endsWith(".") && (s[i] === '"' || s[i] === "`")) {
        const q = s[i];
        const end = s.indexOf(q, i + 1);
        if (end < 0) throw invalid(`Invalid filter '${s}': unterminated quote`);
        v += s.slice(i + 1, end);
        out.push({ t: "qident", v: `\u0000${v}` }); // marks "entity.key" already joined
        i = end + 1;
        continue;
      }
      out.push({ t: "ident", v });
      continue;
    }
    throw invalid(`Invalid filter '${s}': unexpected character '${c}' at ${i}`);
  }
  return out;
}

function splitIdentifier(raw: string, attrs: AttributeSet, source: string): { entity: Entity; key: string } {
  const joined = raw.startsWith("\u0000") ? raw.slice(1) : raw;
  const dot = joined.indexOf(".");
  if (dot < 0) {
    const key = ATTRIBUTE_ALIASES[joined] ?? joined;
    if (attrs.numeric.has(key) || attrs.string.has(key)) return { entity: "attribute", key };
    throw invalid(`Invalid identifier '${joined}' in '${source}': expected metrics.<key>, params.<key>, tags.<key> or attributes.<name>`);
  }
  const entity = ENTITY_ALIASES[joined.slice(0, dot).toLowerCase()];
  const key = joined.slice(dot + 1);
  if (!entity) throw invalid(`Invalid entity type '${joined.slice(0, dot)}' in '${source}'. Valid values are metrics, params, tags, attributes`);
  if (!key) throw invalid(`Missing key after '${joined.slice(0, dot + 1)}' in '${source}'`);
  if (entity === "dataset" && (attrs !== RUN_ATTRIBUTES || !DATASET_KEYS.has(key)))
    throw invalid(`Invalid dataset key '${key}' in '${source}'. Valid keys are ${[...DATASET_KEYS].join(", ")} (runs only)`);
  if (entity === "attribute") {
    const a = ATTRIBUTE_ALIASES[key] ?? key;
    if (!attrs.numeric.has(a) && !attrs.string.has(a))
      throw invalid(`Invalid attribute key '${key}' specified. Valid keys are ${[...attrs.string, ...attrs.numeric].join(", ")}`);
    return { entity, key: a };
  }
  return { entity, key };
}

const NUMERIC_OPS = new Set(["=", "!=", ">", ">=", "<", "<="]);
const STRING_OPS = new Set(["=", "!=", "LIKE", "ILIKE", "IN", "NOT IN"]);

/** Parses an MLflow filter string ("" or undefined → no clauses). Clauses are AND-ed. */
export function parseFilter(filter: string | undefined | null, attrs: AttributeSet = RUN_ATTRIBUTES): Clause[] {
  if (!filter || !filter.trim()) return [];
  const toks = tokenize(filter);
  const clauses: Clause[] = [];
  let i = 0;
  const peekWord = (k = 0) => {
    const tk = toks[i + k];
    return tk && tk.t === "ident" ? tk.v.toUpperCase() : null;
  };
  while (i < toks.length) {
    const idTok = toks[i++];
    if (!idTok || (idTok.t !== "ident" && idTok.t !== "qident")) throw invalid(`Invalid filter '${filter}': expected an identifier`);
    const { entity, key } = splitIdentifier(idTok.v, attrs, filter);
    const numeric = entity === "metric" || (entity === "attribute" && attrs.numeric.has(key));

    let op: Comparator;
    const w = peekWord();
    if (toks[i]?.t === "op") op = toks[i++].v as Comparator;
    else if (w === "LIKE" || w === "ILIKE" || w === "IN") {
      op = w;
      i++;
    } else if (w === "NOT" && peekWord(1) === "IN") {
      op = "NOT IN";
      i += 2;
    } else if (w === "IS") {
      i++;
      if (peekWord() === "NOT" && peekWord(1) === "NULL") {
        op = "IS NOT NULL";
        i += 2;
      } else if (peekWord() === "NULL") {
        op = "IS NULL";
        i++;
      } else throw invalid(`Invalid filter '${filter}': expected NULL or NOT NULL after IS`);
    } else throw invalid(`Invalid filter '${filter}': expected a comparator after '${key}'`);

    let value: Clause["value"] = null;
    if (op === "IS NULL" || op === "IS NOT NULL") {
      if (entity === "attribute" || entity === "dataset") throw invalid(`Invalid comparator '${op}' for ${entity} '${key}'`);
    } else if (op === "IN" || op === "NOT IN") {
      if (numeric) throw invalid(`Invalid comparator '${op}' for numeric key '${key}'`);
      if (toks[i++]?.t !== "(") throw invalid(`Invalid filter '${filter}': expected '(' after ${op}`);
      const list: string[] = [];
      while (i < toks.length) {
        const v = toks[i++];
        if (v.t !== "str" && v.t !== "qident") throw invalid(`Invalid filter '${filter}': IN lists hold quoted strings`);
        list.push(v.v);
        const sep = toks[i++];
        if (sep?.t === ")") break;
        if (sep?.t !== ",") throw invalid(`Invalid filter '${filter}': expected ',' or ')' in IN list`);
      }
      if (toks[i - 1]?.t !== ")") throw invalid(`Invalid filter '${filter}': unterminated IN list`);
      value = list;
    } else {
      const v = toks[i++];
      if (!v) throw invalid(`Invalid filter '${filter}': missing value after '${op}'`);
      if (numeric) {
        if (!NUMERIC_OPS.has(op)) throw invalid(`Invalid comparator '${op}' not one of '${[...NUMERIC_OPS].join(", ")}' for ${entity} '${key}'`);
        if (v.t !== "num") throw invalid(`Expected numeric value type for ${entity} '${key}'. Found ${JSON.stringify(v.v)}`);
        value = v.v;
      } else {
        if (!STRING_OPS.has(op)) throw invalid(`Invalid comparator '${op}' not one of '${[...STRING_OPS].join(", ")}' for ${entity} '${key}'`);
        if (v.t !== "str" && v.t !== "qident")
          throw invalid(`Value for ${entity} '${key}' must be a quoted string. Found ${JSON.stringify(v.v)}`);
        if (op === "LIKE" || op === "ILIKE") compileLike(v.v, op === "ILIKE"); // refuses over-long patterns before any run is read
        value = v.v;
      }
    }
    clauses.push({ entity, key, op, value });

    if (i < toks.length) {
      if (peekWord() !== "AND") throw invalid(`Invalid filter '${filter}': clauses must be joined with AND`);
      i++;
      if (i >= toks.length) throw invalid(`Invalid filter '${filter}': dangling AND`);
    }
  }
  return clauses;
}

/** Parses order_by terms like "metrics.acc DESC", "attributes.start_time", "params.lr ASC". */
export function parseOrderBy(terms: readonly string[] | undefined | null, attrs: AttributeSet = RUN_ATTRIBUTES): OrderTerm[] {
  return (terms ?? []).map((term) => {
    // Split off a trailing ASC/DESC by hand: /^\s*(.+?)(?:\s+(ASC|DESC))?\s*$/ backtracks
    // quadratically over a long run of spaces.
    const trimmed = term.trim();
    if (!trimmed) throw invalid(`Invalid order_by clause '${term}'`);
    let lastSpace = trimmed.length - 1;
    while (lastSpace >= 0 && !/\s/.test(trimmed[lastSpace])) lastSpace--;
    const word = trimmed.slice(lastSpace + 1).toUpperCase();
    const direction = lastSpace >= 0 && (word === "ASC" || word === "DESC") ? word : null;
    let ident = direction ? trimmed.slice(0, lastSpace).trimEnd() : trimmed;
    const q = /^([A-Za-z_]+)\.(["`])(.*)\2$/.exec(ident);
    if (q) ident = `${q[1]}.${q[3]}`;
    if (/\s/.test(ident) && !q) throw invalid(`Invalid order_by clause '${term}'`);
    const { entity, key } = splitIdentifier(ident, attrs, term);
    if (entity === "dataset") throw invalid(`Invalid order_by clause '${term}': runs cannot be ordered by datasets`);
    return { entity, key, asc: direction !== "DESC" };
  });
}

function lookup(s: Searchable, entity: Entity, key: string): string | number | boolean | null | undefined {
  switch (entity) {
    case "metric":
      return s.metrics[key];
    case "param":
      return s.params[key];
    case "tag":
      return s.tags[key];
    default:
      return s.attributes[key];
  }
}

/** Compiles clauses into one predicate (LIKE patterns compiled once, matched in linear time). */
export function compileFilter(clauses: Clause[]): (s: Searchable) => boolean {
  const tests = clauses.map((c) => {
    // MLflow joins a run's inputs: a datasets.* clause holds when any one input satisfies it.
    if (c.entity === "dataset") {
      const one = compileFilter([{ ...c, entity: "attribute" }]);
      return (s: Searchable) => (s.datasets ?? []).some((d) => one({ attributes: d, params: {}, tags: {}, metrics: {} }));
    }
    const like = c.op === "LIKE" || c.op === "ILIKE" ? compileLike(String(c.value), c.op === "ILIKE") : null;
    return (s: Searchable): boolean => {
      const raw = lookup(s, c.entity, c.key);
      if (c.op === "IS NULL") return raw === undefined || raw === null;
      if (c.op === "IS NOT NULL") return raw !== undefined && raw !== null;
      if (raw === undefined || raw === null) return false; // as SQL: a missing key matches nothing
      if (typeof c.value === "number") {
        const v = Number(raw);
        switch (c.op) {
          case "=":
            return v === c.value;
          case "!=":
            return v !== c.value;
          case ">":
            return v > c.value;
          case ">=":
            return v >= c.value;
          case "<":
            return v < c.value;
          case "<=":
            return v <= c.value;
        }
        return false;
      }
      const v = String(raw);
      switch (c.op) {
        case "=":
          return v === c.value;
        case "!=":
          return v !== c.value;
        case "LIKE":
        case "ILIKE":
          return like!(v);
        case "IN":
          return (c.value as string[]).includes(v);
        case "NOT IN":
          return !(c.value as string[]).includes(v);
      }
      return false;
    };
  });
  return (s) => tests.every((t) => t(s));
}

/** A comparator for Array.sort: missing values and NaN always last, then the given tiebreakers. */
export function compileOrder(terms: OrderTerm[]): (a: Searchable, b: Searchable) => number {
  return (a, b) => {
    for (const t of terms) {
      const x = lookup(a, t.entity, t.key);
      const y = lookup(b, t.entity, t.key);
      const xMissing = x === undefined || x === null || (typeof x === "number" && Number.isNaN(x));
      const yMissing = y === undefined || y === null || (typeof y === "number" && Number.isNaN(y));
      if (xMissing || yMissing) {
        if (xMissing && yMissing) continue;
        return xMissing ? 1 : -1;
      }
      let cmp: number;
      if (typeof x === "number" && typeof y === "number") cmp = x === y ? 0 : x < y ? -1 : 1;
      else cmp = String(x) < String(y) ? -1 : String(x) > String(y) ? 1 : 0;
      if (cmp !== 0) return t.asc ? cmp : -cmp;
    }
    return 0;
  };
}
