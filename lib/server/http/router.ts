// The lean layer's route table: a request whose path starts with a registered prefix goes to
// that prefix's handler, anything else to the fallback (Next). Pure, so the table can grow
// (model predictions under /v1/models/ and /v2/, the live quiz's WebSocket upgrades) without
// touching the server around it.

export interface PrefixRoute<H> {
  /** A path prefix ending in "/", e.g. "/api/2.0/mlflow/". */
  prefix: string;
  handler: H;
}

export type Dispatch<H> = (url: string) => H | null;

/** The handler for a request URL (path and query, as in IncomingMessage.url), or null. */
export function createRouter<H>(routes: readonly PrefixRoute<H>[]): Dispatch<H> {
  for (const r of routes) if (!r.prefix.startsWith("/") || !r.prefix.endsWith("/")) throw new Error(`Route prefix must start and end with '/': ${r.prefix}`);
  // Longest first, so a more specific prefix wins over one it extends.
  const table = [...routes].sort((a, b) => b.prefix.length - a.prefix.length);
  return (url) => {
    // A prefix match on the raw URL: no URL parsing for the requests that fall through to Next.
    // Percent-encoded or dot-segment spellings of a prefix are not lean routes; Next's routing
    // decides about them as it always did.
    for (let i = 0; i < table.length; i++) if (url.startsWith(table[i].prefix)) return table[i].handler;
    return null;
  };
}
