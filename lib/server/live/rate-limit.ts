// A token bucket per key (the client address the server vouches for): `burst` at once, then
// `perSecond`. Bounded: past `maxKeys` the full buckets (idle keys) are forgotten.
export interface RateLimiter {
  /** 0 when allowed (a token is taken); otherwise the ms to wait. */
  take(key: string, now?: number): number;
}

export function createRateLimiter(opts: { burst: number; perSecond: number; maxKeys?: number }): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const maxKeys = opts.maxKeys ?? 50_000;
  const refill = (b: { tokens: number; at: number }, now: number) => {
    b.tokens = Math.min(opts.burst, b.tokens + ((now - b.at) / 1000) * opts.perSecond);
    b.at = now;
  };
  return {
    take(key, now = Date.now()) {
      let b = buckets.get(key);
      if (!b) {
        if (buckets.size >= maxKeys) {
          for (const [k, v] of buckets) {
            refill(v, now);
            if (v.tokens >= opts.burst) buckets.delete(k);
          }
          if (buckets.size >= maxKeys) return 1000;
        }
        buckets.set(key, (b = { tokens: opts.burst, at: now }));
      } else refill(b, now);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      return Math.ceil(((1 - b.tokens) / opts.perSecond) * 1000);
    },
  };
}
