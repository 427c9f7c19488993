// State that must exist once per process although its module may be loaded twice: `npm start`
// runs Next's bundle and the lean HTTP layer (lib/server/http, bundled apart) in one process,
// each with its own copy of lib/server. Caches that a write through one copy must invalidate
// for the other (a revoked token, a deleted run) live on globalThis under a registered symbol.
export function processWide<T>(name: string, create: () => T): T {
  const g = globalThis as unknown as Record<symbol, T | undefined>;
  return (g[keyOf(name)] ??= create());
}

/** The registry's symbol per name, remembered (hot paths ask several times per request; Symbol.for is the same symbol every time). */
const keys = new Map<string, symbol>();
function keyOf(name: string): symbol {
  let key = keys.get(name);
  if (key === undefined) keys.set(name, (key = Symbol.for(`cuaderno.${name}`)));
  return key;
}
