// The kernel's shared scope: one plain object holding every top-level name of every cell plus
// the kernel globals (tf, show...). Cells read and write it directly, so a function defined in
// one cell sees values assigned by later cells. It also remembers which cell defined each name,
// so the page can be told what a restart lost.

export interface VariableInfo {
  name: string;
  /** `typeof`, or a short description: "Tensor float32 [2,3]", "TableDataset (120 rows)", "Array(3)". */
  type: string;
  /** The cell that last defined it. */
  cellId: string;
}

export class KernelScope {
  /** What cells read and write (`__$s`). No prototype, so `toString` is not a variable. */
  readonly values: Record<string, unknown> = Object.create(null);
  /** `__$r`: like `values`, but reading or assigning a name nobody defined is a ReferenceError. */
  readonly checked: Record<string, unknown>;
  private readonly builtins = new Set<string>();
  private readonly lazy = new Map<string, () => Promise<unknown>>();
  private readonly definedBy = new Map<string, string>();

  constructor() {
    const values = this.values;
    this.checked = new Proxy(values, {
      get(target, key) {
        if (typeof key === "string" && !(key in target)) throw new ReferenceError(`${key} is not defined`);
        return Reflect.get(target, key);
      },
      set(target, key, value) {
        if (typeof key === "string" && !(key in target)) throw new ReferenceError(`${key} is not defined`);
        return Reflect.set(target, key, value);
      },
    });
  }

  /** Whether cells see `name` (a kernel global, loaded or not, or a defined variable). */
  has(name: string): boolean {
    return name in this.values || this.lazy.has(name);
  }

  /** A kernel global available at once. */
  setBuiltin(name: string, value: unknown): void {
    this.builtins.add(name);
    this.lazy.delete(name);
    this.values[name] = value;
  }

  /** A kernel global loaded on first use (tf, sql...): `ensureLoaded` fetches it before a cell runs. */
  setLazyBuiltin(name: string, load: () => Promise<unknown>): void {
    this.builtins.add(name);
    this.lazy.set(name, load);
    delete this.values[name];
  }

  /** The kernel globals installed (loaded or lazy), in installation order. */
  builtinNames(): string[] {
    return [...this.builtins];
  }

  isLazyPending(name: string): boolean {
    return this.lazy.has(name) && !(name in this.values);
  }

  /** Loads the lazy globals among `names` (in order), once each. */
  async ensureLoaded(names: Iterable<string>): Promise<void> {
    for (const name of names) {
      const load = this.lazy.get(name);
      if (!load || name in this.values) continue;
      const value = await load();
      this.values[name] = value;
      this.lazy.delete(name);
    }
  }

  /** After a run: the names the cell declared that now exist belong to it. */
  recordDefinitions(cellId: string, names: readonly string[]): string[] {
    const defined: string[] = [];
    for (const name of names) {
      if (!(name in this.values)) continue;
      this.definedBy.set(name, cellId);
      this.builtins.delete(name); // a student's `const show = ...` is now a variable like any other
      defined.push(name);
    }
    return defined;
  }

  /** Names defined by cells (not kernel globals), in definition order. */
  userNames(): string[] {
    return [...this.definedBy.keys()].filter((n) => n in this.values);
  }

  namesDefinedBy(cellId: string): string[] {
    return this.userNames().filter((n) => this.definedBy.get(n) === cellId);
  }

  listVariables(): VariableInfo[] {
    return this.userNames().map((name) => ({
      name,
      type: describeType(this.values[name]),
      cellId: this.definedBy.get(name) ?? "",
    }));
  }
}

export function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return `Array(${value.length})`;
  if (typeof value !== "object") return typeof value;
  const v = value as Record<string, unknown>;
  if (Array.isArray(v.shape) && typeof v.dtype === "string" && typeof v.dataSync === "function") {
    return `Tensor ${v.dtype} [${(v.shape as number[]).join(",")}]`;
  }
  if (v.kind === "table" && Array.isArray(v.rows)) return `TableDataset (${(v.rows as unknown[]).length} rows)`;
  if (v.kind === "images" && typeof v.count === "number") return `ImageDataset (${v.count} images)`;
  const ctor = (value as object).constructor?.name;
  return ctor && ctor !== "Object" ? ctor : "object";
}
