"use client";
// A challenge's leaderboard, live: a cheap version query is polled every second and the board is
// refetched when it changes, so a new submission shows within ~2 s without a reload. After the
// deadline (and for the instructor at any time) the private board shows each rank shift.
import { useQuery } from "@tanstack/react-query";
import { useLocale, useTranslations } from "next-intl";
import { useEffect } from "react";
import { useErrorMessage } from "@/components/class/use-error-message";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { Link } from "@/lib/i18n/navigation";
import { useTRPC } from "@/lib/trpc/react";
import { formatInZone, formatScore, rankShift } from "./format";
import { NicknameForm } from "./nickname-form";

export const VERSION_POLL_MS = 1_000;

interface BoardRow {
  rank: number;
  name: string;
  anonymous: number | null;
  isMe: boolean;
  score: number;
  entries: number;
  lastSubmissionAt: Date;
  publicRank?: number;
}

export function Leaderboard({ challengeId }: { challengeId: string }) {
  const t = useTranslations("challenges.leaderboard");
  const locale = useLocale();
  const trpc = useTRPC();
  const toMessage = useErrorMessage();
  const challenge = useQuery(trpc.challenges.get.queryOptions({ challengeId }));
  const board = useQuery(trpc.challenges.leaderboard.queryOptions({ challengeId }));
  const version = useQuery({
    ...trpc.challenges.leaderboardVersion.queryOptions({ challengeId }),
    refetchInterval: VERSION_POLL_MS,
    refetchIntervalInBackground: false,
    retry: false,
  });
  const latest = version.data?.version;
  const { refetch, isFetching } = board;
  const shown = board.data?.version;
  useEffect(() => {
    if (latest && shown && latest !== shown && !isFetching) void refetch();
  }, [latest, shown, isFetching, refetch]);

  const error = challenge.error ?? board.error;
  if (error) return <Alert tone="error" testId="leaderboard-error">{toMessage(error)}</Alert>;
  const c = challenge.data;
  const b = board.data;
  if (!c || !b) return null;
  const share = Math.round(c.publicFraction * 100);
  const lastAt = b.public.reduce<Date | null>((m, r) => (m === null || new Date(r.lastSubmissionAt) > m ? new Date(r.lastSubmissionAt) : m), null);
  const privateBoard = b.private && (
    <Card>
      <h2 className="font-semibold">{b.closed ? t("private") : t("privateInstructor")}</h2>
      <p className="mb-2 text-sm text-stone-600">{t("privateHint")}</p>
      <BoardTable rows={b.private} timeZone={c.timeZone} withShift testId="leaderboard-private" />
    </Card>
  );
  return (
    <div className="flex flex-col gap-4" data-testid="leaderboard" data-version={b.version}>
      <div>
        <Link href={`/challenges/${challengeId}`} className="text-sm text-accent hover:underline">← {t("back")}</Link>
        <h1 className="text-2xl font-bold">{t("title", { title: c.title })}</h1>
        <p className="text-sm text-stone-600">
          {c.metricName} · {b.names === "nickname" ? t("showsNicknames") : t("showsNames")}
        </p>
      </div>
      {/* Announces each refresh without reading the whole table again. */}
      <div className="sr-only" aria-live="polite" aria-atomic="true" data-testid="leaderboard-live">
        {t("updated", { count: b.public.length, time: lastAt ? formatInZone(lastAt, c.timeZone, locale) : "—" })}
      </div>
      {/* After the deadline the private board is the result; before it (instructor only) it follows the public one. */}
      {b.closed && privateBoard}
      <Card>
        <h2 className="font-semibold">{t("public")}</h2>
        <p className="mb-2 text-sm text-stone-600">{t("publicHint", { share })}</p>
        <BoardTable rows={b.public} timeZone={c.timeZone} testId="leaderboard-public" />
      </Card>
      {!b.closed && privateBoard}
      {c.role === "student" && <NicknameForm classId={c.classId} mode={b.names} />}
    </div>
  );
}

function BoardTable({ rows, timeZone, withShift = false, testId }: { rows: BoardRow[]; timeZone: string; withShift?: boolean; testId: string }) {
  const t = useTranslations("challenges.leaderboard");
  const locale = useLocale();
  if (rows.length === 0) return <p className="text-sm text-stone-600" data-testid={`${testId}-empty`}>{t("empty")}</p>;
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm" data-testid={testId}>
        <thead className="border-b border-stone-200 text-stone-600">
          <tr>
            <th scope="col" className="py-2 pr-3">{t("rank")}</th>
            {withShift && <th scope="col" className="py-2 pr-3">{t("shift")}</th>}
            <th scope="col" className="py-2 pr-3">{t("name")}</th>
            <th scope="col" className="py-2 pr-3 text-right">{withShift ? t("score") : t("best")}</th>
            <th scope="col" className="py-2 pr-3 text-right">{t("entries")}</th>
            <th scope="col" className="py-2">{t("last")}</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-stone-100">
          {rows.map((r, i) => {
            const name = r.anonymous !== null ? t("anonymous", { n: r.anonymous }) : r.name;
            const shift = withShift ? rankShift(r.publicRank, r.rank) : null;
            return (
              <tr key={`${i}-${r.rank}-${name}`} data-testid="leaderboard-row" data-me={r.isMe ? "true" : "false"} className={r.isMe ? "bg-accent-soft" : undefined}>
                <td className="py-2 pr-3 tabular-nums" data-testid="leaderboard-rank">{r.rank}</td>
                {shift && (
                  <td className="py-2 pr-3 tabular-nums" data-testid="leaderboard-shift" data-shift={shift.direction}>
                    <span aria-hidden="true" className={shift.direction === "up" ? "text-green-700" : shift.direction === "down" ? "text-red-700" : "text-stone-500"}>{shift.text}</span>
                    <span className="sr-only">
                      {shift.direction === "up" ? t("shiftUp", { places: shift.places }) : shift.direction === "down" ? t("shiftDown", { places: shift.places }) : t("shiftSame")}
                    </span>
                  </td>
                )}
                <th scope="row" className="py-2 pr-3 font-medium" data-testid="leaderboard-name">
                  {name}
                  {r.isMe && <span className="ml-1 text-xs text-stone-500">({t("you")})</span>}
                </th>
                <td className="py-2 pr-3 text-right tabular-nums" data-testid="leaderboard-score">{formatScore(r.score)}</td>
                <td className="py-2 pr-3 text-right tabular-nums" data-testid="leaderboard-entries">{r.entries}</td>
                <td className="py-2">{formatInZone(r.lastSubmissionAt, timeZone, locale)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
