"use client";
// A student's nickname in a class, shown on its leaderboards when the instructor chose nicknames.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, Input } from "@/components/ui/field";
import { useTRPC } from "@/lib/trpc/react";
import { useChallengeError } from "./use-challenge-error";

export function NicknameForm({ classId, mode }: { classId: string; mode: "name" | "nickname" }) {
  const t = useTranslations("challenges.leaderboard");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toMessage = useChallengeError();
  const settings = useQuery(trpc.challenges.settings.queryOptions({ classId }));
  const [nickname, setNicknameText] = useState("");
  const current = settings.data?.nickname ?? "";
  useEffect(() => setNicknameText(current), [current]);
  const save = useMutation(
    trpc.challenges.setNickname.mutationOptions({
      onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: trpc.challenges.settings.queryKey({ classId }) }), queryClient.invalidateQueries({ queryKey: trpc.challenges.pathKey() })]),
    }),
  );
  if (mode !== "nickname") return null;
  return (
    <Card>
      <form
        className="flex flex-col gap-2"
        data-testid="nickname-form"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({ classId, nickname: nickname.trim() === "" ? null : nickname });
        }}
      >
        <Field label={t("nickname")} hint={t("nicknameHint")}>
          <Input name="nickname" value={nickname} maxLength={32} onChange={(e) => setNicknameText(e.target.value)} />
        </Field>
        <div className="flex items-center gap-3">
          <Button type="submit" variant="secondary" disabled={save.isPending}>{t("nicknameSave")}</Button>
          {save.isSuccess && <span role="status" className="text-sm text-green-700">{t("nicknameSaved")}</span>}
        </div>
        {save.error && <Alert tone="error" testId="nickname-error">{toMessage(save.error)}</Alert>}
      </form>
    </Card>
  );
}
