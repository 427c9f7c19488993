// Policy changes pushed to every instance (issue 13 point 8): after an endpoint's deployment state
// commits (./endpoints.ts), its model id is published; every serving service subscribed drops its
// cached view of that model at once, so the next request reads the new policy. Through Redis
// (lib/server/redis.ts) when REDIS_URL is set, and always to this process's own subscribers.
// Without Redis other instances rely on the views' 1 s lifetime (./backend.ts), as before.
import { processWide } from "@/lib/server/process-wide";
import { processRedis, type RedisLink } from "@/lib/server/redis";

export const POLICY_CHANNEL = "serving:policy";

export interface PolicyInvalidations {
  /** The model's endpoint changed: every subscriber, here and (with Redis) on other instances, hears it. */
  publish(modelId: string): void;
  /** Called with the model id of each change; returns the unsubscribe. */
  subscribe(listener: (modelId: string) => void): () => void;
}

/** A bus over one Redis link (null: this process only). */
export function createPolicyInvalidations(link: RedisLink | null): PolicyInvalidations {
  const listeners = new Set<(modelId: string) => void>();
  const notify = (modelId: string) => {
    for (const l of listeners) l(modelId);
  };
  link?.subscribe(POLICY_CHANNEL, (message) => {
    const [from, modelId] = message.split(" ", 2);
    if (modelId && from !== link.instanceId) notify(modelId); // our own were delivered at publish
  });
  return {
    publish(modelId) {
      notify(modelId);
      link?.publish(POLICY_CHANNEL, `${link.instanceId} ${modelId}`);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** The process's bus, over processRedis() as it is on first use. */
export const processPolicyInvalidations = (): PolicyInvalidations => processWide("servingPolicyInvalidations", () => createPolicyInvalidations(processRedis()));
