import { z } from "zod";
import { instructorProcedure, protectedProcedure, router } from "@/lib/server/api/trpc";
import * as classes from "@/lib/server/services/classes";

const classId = z.string().min(1).max(64);

export const classesRouter = router({
  mine: protectedProcedure.query(({ ctx }) => classes.listMyClasses(ctx)),
  get: protectedProcedure.input(z.object({ classId })).query(({ ctx, input }) => classes.getClassForMember(ctx, input.classId)),
  create: instructorProcedure
    .input(z.object({ name: z.string().trim().min(2).max(120) }))
    .mutation(({ ctx, input }) => classes.createClass(ctx, input)),
  join: protectedProcedure
    .input(z.object({ code: z.string().trim().min(1).max(32) }))
    .mutation(({ ctx, input }) => classes.joinClass(ctx, input)),
  leave: protectedProcedure.input(z.object({ classId })).mutation(({ ctx, input }) => classes.leaveClass(ctx, input.classId)),
  roster: instructorProcedure.input(z.object({ classId })).query(({ ctx, input }) => classes.roster(ctx, input.classId)),
  removeStudent: instructorProcedure
    .input(z.object({ classId, userId: z.string().min(1).max(64) }))
    .mutation(({ ctx, input }) => classes.removeStudent(ctx, input)),
  rotateCode: instructorProcedure.input(z.object({ classId })).mutation(({ ctx, input }) => classes.rotateJoinCode(ctx, input.classId)),
});
