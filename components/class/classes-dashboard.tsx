"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, Input } from "@/components/ui/field";
import { Link } from "@/lib/i18n/navigation";
import { useTRPC } from "@/lib/trpc/react";
import { useErrorMessage } from "./use-error-message";

export function ClassesDashboard({ role }: { role: "student" | "instructor" }) {
  const t = useTranslations("classes");
  const trpc = useTRPC();
  const classes = useQuery(trpc.classes.mine.queryOptions());
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      <div className="grid gap-4 md:grid-cols-2">
        {role === "instructor" ? <CreateClassForm /> : <JoinClassForm />}
      </div>
      <ul className="grid gap-3" data-testid="class-list">
        {classes.data?.length === 0 && <li className="text-stone-600">{t("empty")}</li>}
        {classes.data?.map((c) => (
          <li key={c.id} data-testid="class-item">
            <Card className="flex items-center justify-between">
              <div>
                <Link href={`/classes/${c.id}`} className="font-semibold hover:text-accent">{c.name}</Link>
                <div className="text-sm text-stone-600">
                  {c.role === "instructor" ? t("members", { count: c.memberCount }) : t("teaches", { name: c.instructorName })}
                </div>
              </div>
              {c.joinCode && <code className="rounded bg-stone-100 px-2 py-1 text-sm" data-testid="class-code">{c.joinCode}</code>}
            </Card>
          </li>
        ))}
      </ul>
    </div>
  );
}

function CreateClassForm() {
  const t = useTranslations("classes");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toMessage = useErrorMessage();
  const [name, setName] = useState("");
  const create = useMutation(
    trpc.classes.create.mutationOptions({
      onSuccess: async () => {
        setName("");
        await queryClient.invalidateQueries({ queryKey: trpc.classes.mine.queryKey() });
      },
    }),
  );
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ name });
  };
  return (
    <Card>
      <form onSubmit={onSubmit} className="flex flex-col gap-3" data-testid="create-class-form">
        <h2 className="font-semibold">{t("create")}</h2>
        <Field label={t("className")}>
          <Input value={name} onChange={(e) => setName(e.target.value)} required minLength={2} maxLength={120} name="className" />
        </Field>
        {create.error && <Alert tone="error" testId="class-error">{toMessage(create.error)}</Alert>}
        {create.isSuccess && <Alert tone="success">{t("createdOk")}</Alert>}
        <Button type="submit" disabled={create.isPending}>{t("create")}</Button>
      </form>
    </Card>
  );
}

export function JoinClassForm({ initialCode = "" }: { initialCode?: string }) {
  const t = useTranslations("classes");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toMessage = useErrorMessage();
  const [code, setCode] = useState(initialCode);
  const join = useMutation(
    trpc.classes.join.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.classes.mine.queryKey() }),
    }),
  );
  return (
    <Card>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          join.mutate({ code });
        }}
        className="flex flex-col gap-3"
        data-testid="join-class-form"
      >
        <h2 className="font-semibold">{t("join")}</h2>
        <Field label={t("joinCode")}>
          <Input value={code} onChange={(e) => setCode(e.target.value)} required maxLength={32} name="joinCode" autoCapitalize="characters" />
        </Field>
        {join.error && <Alert tone="error" testId="join-error">{toMessage(join.error)}</Alert>}
        {join.data && <Alert tone="success" testId="join-success">{t("joinedOk", { name: join.data.name })}</Alert>}
        <Button type="submit" disabled={join.isPending}>{t("joinSubmit")}</Button>
      </form>
    </Card>
  );
}
