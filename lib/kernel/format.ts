// Readable text for console arguments (objects, arrays, tensors, datasets), Node-inspect style
// but small: it runs in the worker on every console.log.

const MAX_ITEMS = 30;
const MAX_DEPTH = 3;
const MAX_STRING = 10_000;

function isTensor(v: unknown): v is { shape: number[]; dtype: string; dataSync(): ArrayLike<number>; size: number } {
  const t = v as { shape?: unknown; dtype?: unknown; dataSync?: unknown } | null;
  return !!t && typeof t === "object" && Array.isArray(t.shape) && typeof t.dtype === "string" && typeof t.dataSync === "function";
}

function num(n: number): string {
  if (Object.is(n, -0)) return "-0";
  if (Number.isInteger(n) || !Number.isFinite(n)) return String(n);
  return String(Number(n.toPrecision(6)));
}

export function inspect(value: unknown, depth = 0, seen: Set<unknown> = new Set()): string {
  switch (typeof value) {
    case "string":
      return depth === 0 ? value : JSON.stringify(value.length > MAX_STRING ? value.slice(0, MAX_STRING) + "…" : value);
    case "number":
      return num(value);
    case "bigint":
      return `${value}n`;
    case "boolean":
    case "undefined":
      return String(value);
    case "symbol":
      return value.toString();
    case "function":
      return `[Function ${value.name || "anonymous"}]`;
  }
  if (value === null) return "null";
  if (seen.has(value)) return "[Circular]";
  if (value instanceof Error) return value.stack && depth === 0 ? value.stack : `${value.name}: ${value.message}`;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString();
  if (isTensor(value)) {
    let values = "";
    try {
      const all = value.dataSync();
      const data = Array.from({ length: Math.min(all.length, MAX_ITEMS) }, (_, i) => num(Number(all[i])));
      values = ` [${data.join(", ")}${value.size > MAX_ITEMS ? ", …" : ""}]`;
    } catch {
      values = " (disposed)";
    }
    return `Tensor ${value.dtype} [${value.shape.join(",")}]${values}`;
  }
  const obj = value as Record<string, unknown>;
  if (obj.kind === "table" && Array.isArray(obj.rows) && Array.isArray(obj.columns)) {
    return `TableDataset ${String(obj.name ?? "")} (${obj.rows.length} rows × ${obj.columns.length} columns: ${(obj.columns as string[]).slice(0, 12).join(", ")}${obj.columns.length > 12 ? ", …" : ""})`;
  }
  if (obj.kind === "images" && typeof obj.count === "number") {
    return `ImageDataset ${String(obj.name ?? "")} (${obj.count} images ${String(obj.height)}×${String(obj.width)})`;
  }
  if (depth >= MAX_DEPTH) return Array.isArray(value) ? "[Array]" : "[Object]";
  seen.add(value);
  try {
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
      const arr = value as unknown as ArrayLike<number>;
      const items = Array.from({ length: Math.min(arr.length, MAX_ITEMS) }, (_, i) => num(Number(arr[i])));
      return `${value.constructor.name}(${arr.length}) [${items.join(", ")}${arr.length > MAX_ITEMS ? ", …" : ""}]`;
    }
    if (Array.isArray(value)) {
      const items = value.slice(0, MAX_ITEMS).map((v) => inspect(v, depth + 1, seen));
      if (value.length > MAX_ITEMS) items.push(`… ${value.length - MAX_ITEMS} more`);
      return `[${items.join(", ")}]`;
    }
    if (value instanceof Map) {
      const items = [...value.entries()].slice(0, MAX_ITEMS).map(([k, v]) => `${inspect(k, depth + 1, seen)} => ${inspect(v, depth + 1, seen)}`);
      return `Map(${value.size}) {${items.join(", ")}}`;
    }
    if (value instanceof Set) {
      const items = [...value].slice(0, MAX_ITEMS).map((v) => inspect(v, depth + 1, seen));
      return `Set(${value.size}) {${items.join(", ")}}`;
    }
    const keys = Object.keys(obj);
    const items = keys.slice(0, MAX_ITEMS).map((k) => {
      const key = /^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k);
      return `${key}: ${inspect(obj[k], depth + 1, seen)}`;
    });
    if (keys.length > MAX_ITEMS) items.push(`… ${keys.length - MAX_ITEMS} more`);
    const ctor = (value as object).constructor?.name;
    const prefix = ctor && ctor !== "Object" ? `${ctor} ` : "";
    return items.length ? `${prefix}{ ${items.join(", ")} }` : `${prefix}{}`;
  } finally {
    seen.delete(value);
  }
}

/** console.log's arguments as one line of text (strings unquoted, %s/%d/%o not interpreted). */
export function formatConsoleArgs(args: readonly unknown[]): string {
  return args.map((a) => inspect(a)).join(" ") + "\n";
}
