"use client";
// Assigning the published lesson to the instructor's classes with an opening and a due date
// (issue 15 point 6). Dates are typed in the browser's local time.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { useTRPC } from "@/lib/trpc/react";
import { useTeachError } from "./use-teach-error";

const localInput = (d: Date) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);

export function AssignPanel({ slug, published }: { slug: string; published: number; mine: boolean }) {
  const t = useTranslations("teach.editor");
  const format = useFormatter();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const teachError = useTeachError();
  const classes = useQuery(trpc.classes.mine.queryOptions());
  const assigned = useQuery(trpc.teach.assignmentsOf.queryOptions({ lessonSlug: slug }));
  const teaching = classes.data?.filter((c) => c.role === "instructor") ?? [];
  const [classId, setClassId] = useState("");
  const [opensAt, setOpensAt] = useState(() => localInput(new Date()));
  const [dueAt, setDueAt] = useState("");
  const [error, setError] = useState<string | null>(null);
  const refresh = () => qc.invalidateQueries(trpc.teach.assignmentsOf.queryFilter({ lessonSlug: slug }));
  const assign = useMutation(trpc.teach.assign.mutationOptions({ onSuccess: () => (setError(null), refresh()), onError: (e) => setError(teachError(e)) }));
  const unassign = useMutation(trpc.teach.unassign.mutationOptions({ onSuccess: refresh, onError: (e) => setError(teachError(e)) }));
  const chosen = classId || teaching[0]?.id || "";
  return (
    <section className="rounded-lg border border-stone-200 bg-white p-3" data-testid="assign-panel">
      <h2 className="font-semibold">{t("assign")}</h2>
      {error && <p className="text-sm text-red-700" role="alert">{error}</p>}
      <form
        className="mt-1 flex flex-col gap-1 text-sm"
        onSubmit={(e) => {
          e.preventDefault();
          assign.mutate({ lessonSlug: slug, classId: chosen, opensAt: new Date(opensAt), dueAt: dueAt ? new Date(dueAt) : null });
        }}
      >
        <label className="text-xs text-stone-600">
          {t("class")}
          <select className="w-full rounded border border-stone-300 px-1 py-1" value={chosen} onChange={(e) => setClassId(e.target.value)} data-testid="assign-class">
            {teaching.map((c) => (
              <option key={c.id} value={c.id}>{c.name}</option>
            ))}
          </select>
        </label>
        <label className="text-xs text-stone-600">
          {t("opensAt")}
          <input type="datetime-local" className="w-full rounded border border-stone-300 px-1" value={opensAt} onChange={(e) => setOpensAt(e.target.value)} required data-testid="assign-opens" />
        </label>
        <label className="text-xs text-stone-600">
          {t("dueAt")}
          <input type="datetime-local" className="w-full rounded border border-stone-300 px-1" value={dueAt} onChange={(e) => setDueAt(e.target.value)} data-testid="assign-due" />
        </label>
        <Button type="submit" disabled={!chosen || assign.isPending || published === 0} data-testid="assign-submit">{t("assignButton")}</Button>
      </form>
      {(assigned.data?.length ?? 0) > 0 && (
        <ul className="mt-2 text-sm" data-testid="assignments">
          <li className="text-xs text-stone-500">{t("assignedTo")}</li>
          {assigned.data!.map((a) => (
            <li key={a.classId} className="flex items-center gap-2">
              <span>
                {a.class.name} — {format.dateTime(a.opensAt, { dateStyle: "short", timeStyle: "short" })} → {a.dueAt ? format.dateTime(a.dueAt, { dateStyle: "short", timeStyle: "short" }) : t("noDue")}
              </span>
              <Button variant="ghost" onClick={() => unassign.mutate({ lessonSlug: slug, classId: a.classId })}>{t("unassign")}</Button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
