// Which tracking clients are still alive, across tabs and workers of this origin. Each client
// holds a Web Lock named after its id for as long as it lives; the browser releases it when the
// worker is terminated (a kernel restart) or the tab closes. A run whose client's lock is gone
// was cut off and can never end by itself: the next client marks it KILLED.

export interface Liveness {
  /** Holds "client `id` is alive" until the returned function is called (or the context dies). */
  hold(id: string): () => void;
  /** Whether some context still holds `id`. Without a way to know, answer true (never reap). */
  isAlive(id: string): Promise<boolean>;
}

interface LockManagerLike {
  request(name: string, callback: () => Promise<unknown>): Promise<unknown>;
  query(): Promise<{ held?: { name?: string }[] }>;
}

export const holderLockName = (id: string): string => `cuaderno-tracking-holder:${id}`;

/** Web Locks (navigator.locks, in pages and workers); null where the environment has none. */
export function webLocksLiveness(locks: LockManagerLike | undefined = (globalThis.navigator as { locks?: LockManagerLike } | undefined)?.locks): Liveness | null {
  if (!locks || typeof locks.request !== "function" || typeof locks.query !== "function") return null;
  return {
    hold(id) {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      void locks.request(holderLockName(id), () => held).catch(() => undefined);
      return release;
    },
    async isAlive(id) {
      const { held = [] } = await locks.query();
      return held.some((l) => l.name === holderLockName(id));
    },
  };
}

/** In one process (tests, Node): alive while held and not released. */
export function memoryLiveness(): Liveness & { kill(id: string): void } {
  const alive = new Set<string>();
  return {
    hold(id) {
      alive.add(id);
      return () => alive.delete(id);
    },
    async isAlive(id) {
      return alive.has(id);
    },
    kill(id) {
      alive.delete(id);
    },
  };
}
