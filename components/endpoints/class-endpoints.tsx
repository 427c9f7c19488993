"use client";
// Instructor view: every student of a class with their endpoints and live health
// (endpoints.listClass; the server checks that the caller teaches the class).
import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { Link } from "@/lib/i18n/navigation";
import { useTRPC } from "@/lib/trpc/react";
import { EndpointsTable } from "./my-endpoints";
import { useEndpointError } from "./use-endpoint-error";

export function ClassEndpointsLink({ classId }: { classId: string }) {
  const t = useTranslations("models.class");
  return (
    <Link href={`/classes/${classId}/endpoints`} className="self-start text-sm font-medium text-accent hover:underline" data-testid="class-endpoints-link">
      {t("link")} →
    </Link>
  );
}

export function ClassEndpoints({ classId }: { classId: string }) {
  const t = useTranslations("models.class");
  const trpc = useTRPC();
  const toMessage = useEndpointError();
  const list = useQuery(trpc.endpoints.listClass.queryOptions({ classId }));
  if (list.error) return <Alert tone="error">{toMessage(list.error)}</Alert>;
  if (!list.data) return null;
  return (
    <div className="flex flex-col gap-4">
      <Link href={`/classes/${classId}`} className="text-sm text-accent hover:underline">←</Link>
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      <p className="text-stone-600">{t("intro")}</p>
      {list.data.map(({ student, endpoints }) => (
        <Card key={student.id}>
          <h2 className="font-semibold" data-testid="class-endpoints-student">{student.name}</h2>
          {endpoints.length === 0 ? <p className="text-sm text-stone-600">{t("noEndpoints")}</p> : <EndpointsTable endpoints={endpoints} />}
        </Card>
      ))}
    </div>
  );
}
