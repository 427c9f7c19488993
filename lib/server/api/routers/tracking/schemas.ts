// zod inputs of the tracking router (limits mirror lib/server/services/tracking/values.ts).
import { z } from "zod";

export const runId = z.string().regex(/^[0-9a-f]{32}$/, "Invalid run id");
export const experimentId = z.number().int().positive();
const filter = z.string().max(2000).optional();
const orderBy = z.array(z.string().max(300)).max(10).optional();
const pageToken = z.string().max(200).optional();

export const listExperimentsInput = z.object({ classId: z.string().min(1).max(64).optional(), lessonSlug: z.string().min(1).max(100).optional() }).optional();
export const runsTableInput = z.object({
  experimentIds: z.array(experimentId).max(100).optional(),
  filter,
  orderBy,
  maxResults: z.number().int().min(1).max(1000).optional(),
  pageToken,
  includeDeleted: z.boolean().optional(),
});
export const runInput = z.object({ runId });
export const compareInput = z.object({ runIds: z.array(runId).min(2).max(10) });
export const classRunsInput = z.object({
  classId: z.string().min(1).max(64),
  lessonSlug: z.string().min(1).max(100).optional(),
  filter,
  orderBy,
  maxResults: z.number().int().min(1).max(2000).optional(),
  pageToken,
});
export const shareInput = z.object({ runId, shared: z.boolean() });
export const lessonExperimentInput = z.object({ classId: z.string().min(1).max(64).nullable().optional(), lessonSlug: z.string().min(1).max(100) });
export const createTokenInput = z.object({ name: z.string().trim().min(1).max(100) });
export const revokeTokenInput = z.object({ id: z.string().min(1).max(64) });
