// Instructors' lessons (issue 15): library, drafts, check and publish, versions, assignments; and
// the reader's side (assigned lessons, "lesson updated"). Rules live in services/teach.
import { z } from "zod";
import { protectedProcedure, router } from "@/lib/server/api/trpc";
import * as assignments from "@/lib/server/services/teach/assignments";
import * as datasets from "@/lib/server/services/teach/datasets";
import * as drafts from "@/lib/server/services/teach/drafts";
import * as library from "@/lib/server/services/teach/library";
import * as publishing from "@/lib/server/services/teach/publishing";
import * as student from "@/lib/server/services/teach/student";
import * as versions from "@/lib/server/services/teach/versions";

const slug = z.string().regex(/^u-[a-z0-9]{10}$/);
const anySlug = z.string().regex(/^[a-z0-9-]{1,64}$/);
const locale = z.enum(["es", "en"]);
const classId = z.string().regex(/^[\w-]{1,64}$/);
const version = z.number().int().min(1).max(1_000_000);
/** A zip travels base64 in the JSON body (the tRPC body limit keeps it under about 3.5 MB). */
const base64 = z.string().max(4_800_000).regex(/^[A-Za-z0-9+/]*={0,2}$/);

export const teachRouter = router({
  library: protectedProcedure.query(({ ctx }) => library.myLessons(ctx)),
  createBlank: protectedProcedure.input(z.object({ title: z.string().max(200), locale })).mutation(({ ctx, input }) => library.createBlank(ctx, input)),
  copyBuiltin: protectedProcedure.input(z.object({ builtinSlug: anySlug })).mutation(({ ctx, input }) => library.copyBuiltin(ctx, input)),
  importIpynb: protectedProcedure.input(z.object({ text: z.string().max(4_500_000), locale })).mutation(({ ctx, input }) => library.importIpynb(ctx, input)),
  importZip: protectedProcedure.input(z.object({ base64 })).mutation(({ ctx, input }) => library.importZip(ctx, { bytes: new Uint8Array(Buffer.from(input.base64, "base64")) })),
  remove: protectedProcedure.input(z.object({ slug })).mutation(({ ctx, input }) => library.removeLesson(ctx, input)),
  coauthors: protectedProcedure.input(z.object({ slug })).query(({ ctx, input }) => library.coauthors(ctx, input)),
  inviteCoauthor: protectedProcedure.input(z.object({ slug, email: z.string().email().max(254) })).mutation(({ ctx, input }) => library.inviteCoauthor(ctx, input)),
  removeCoauthor: protectedProcedure.input(z.object({ slug, userId: z.string().max(64) })).mutation(({ ctx, input }) => library.removeCoauthor(ctx, input)),

  draft: protectedProcedure.input(z.object({ slug })).query(({ ctx, input }) => drafts.getDraft(ctx, input)),
  saveDraft: protectedProcedure.input(z.object({ slug, baseRevision: z.number().int().min(1), bundle: z.unknown() })).mutation(({ ctx, input }) => drafts.saveDraft(ctx, input)),
  check: protectedProcedure.input(z.object({ slug })).mutation(({ ctx, input }) => publishing.checkDraft(ctx, input)),
  publish: protectedProcedure.input(z.object({ slug, revision: z.number().int().min(1) })).mutation(({ ctx, input }) => publishing.publish(ctx, input)),
  versions: protectedProcedure.input(z.object({ slug })).query(({ ctx, input }) => versions.listVersions(ctx, input)),
  compare: protectedProcedure.input(z.object({ slug, version, locale })).query(({ ctx, input }) => versions.compareWithDraft(ctx, input)),
  restore: protectedProcedure.input(z.object({ slug, version })).mutation(({ ctx, input }) => versions.restoreVersion(ctx, input)),

  assign: protectedProcedure
    .input(z.object({ lessonSlug: anySlug, classId, opensAt: z.coerce.date(), dueAt: z.coerce.date().nullable() }))
    .mutation(({ ctx, input }) => assignments.assign(ctx, input)),
  unassign: protectedProcedure.input(z.object({ lessonSlug: anySlug, classId })).mutation(({ ctx, input }) => assignments.unassign(ctx, input)),
  assignmentsOf: protectedProcedure.input(z.object({ lessonSlug: anySlug })).query(({ ctx, input }) => assignments.assignmentsOf(ctx, input)),
  myAssignments: protectedProcedure.input(z.object({ locale })).query(({ ctx, input }) => assignments.myAssignments(ctx, input)),
  classAssignments: protectedProcedure.input(z.object({ classId, locale })).query(({ ctx, input }) => assignments.classAssignments(ctx, input)),

  datasets: protectedProcedure.query(({ ctx }) => datasets.myDatasets(ctx)),
  previewDataset: protectedProcedure.input(z.object({ name: z.string().max(64) })).query(({ ctx, input }) => datasets.previewDataset(ctx, input)),
  removeDataset: protectedProcedure.input(z.object({ name: z.string().max(64) })).mutation(({ ctx, input }) => datasets.removeDataset(ctx, input)),

  pendingUpdate: protectedProcedure.input(z.object({ slug, locale })).mutation(({ ctx, input }) => student.pendingUpdate(ctx, input)),
  acceptUpdate: protectedProcedure.input(z.object({ slug, locale, version })).mutation(({ ctx, input }) => student.acceptUpdate(ctx, input)),
});
