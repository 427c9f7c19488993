"use client";
// The instructor chooses whether a class's leaderboards show names or the students' nicknames.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { useTRPC } from "@/lib/trpc/react";
import { useChallengeError } from "./use-challenge-error";

export function LeaderboardNamesSetting({ classId, current }: { classId: string; current: "name" | "nickname" }) {
  const t = useTranslations("challenges.settings");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toMessage = useChallengeError();
  const [choice, setChoice] = useState(current);
  const save = useMutation(
    trpc.challenges.updateSettings.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.challenges.settings.queryKey({ classId }) }),
    }),
  );
  return (
    <Card>
      <form
        className="flex flex-col gap-2"
        data-testid="leaderboard-names-form"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({ classId, leaderboardNames: choice });
        }}
      >
        <fieldset className="flex flex-col gap-1 text-sm">
          <legend className="mb-1 font-semibold">{t("names")}</legend>
          {(["name", "nickname"] as const).map((mode) => (
            <label key={mode} className="flex items-center gap-2">
              <input type="radio" name="leaderboardNames" value={mode} checked={choice === mode} onChange={() => setChoice(mode)} />
              {mode === "name" ? t("namesName") : t("namesNickname")}
            </label>
          ))}
        </fieldset>
        <div className="flex items-center gap-3">
          <Button type="submit" variant="secondary" disabled={save.isPending}>{t("save")}</Button>
          {save.isSuccess && <span role="status" className="text-sm text-green-700">{t("saved")}</span>}
        </div>
        {save.error && <Alert tone="error">{toMessage(save.error)}</Alert>}
      </form>
    </Card>
  );
}
