// Registry writes that change what a model's endpoint serves — a version created, deleted or
// re-signed, an alias set or removed, a serving tag (batching) set or removed, the model renamed
// or deleted — are published as the endpoint actions are (lib/server/services/serving/
// invalidation.ts): every serving instance drops its view of the model at once (through Redis when
// REDIS_URL is set), instead of serving the old view for up to a second.
import { processPolicyInvalidations } from "@/lib/server/services/serving/invalidation";

/** After the write committed. */
export function servedModelChanged(modelId: string): void {
  processPolicyInvalidations().publish(modelId);
}
