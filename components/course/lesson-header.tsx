// A lesson's heading strip: back to the course, duration, datasets, and for guests an
// invitation to sign in (their work stays in this browser until they do); for a student in a
// class, the class this lesson's runs are filed under.
import { Link } from "@/lib/i18n/navigation";
import type { LessonMeta } from "@/lib/content/lessons";
import type { Locale } from "@/lib/i18n/routing";

export function LessonHeader(props: {
  meta: LessonMeta | null;
  locale: Locale;
  slug: string;
  guestInvite: string | null;
  signInLabel: string;
  backLabel: string;
  minutesLabel: string | null;
  /** For a student in a class: where this lesson's runs are filed. */
  classNote?: string | null;
}) {
  const { meta, guestInvite } = props;
  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center gap-3 text-xs text-stone-500">
        <Link href="/" className="hover:text-accent">← {props.backLabel}</Link>
        {meta && <span>#{meta.order}</span>}
        {props.minutesLabel && <span>{props.minutesLabel}</span>}
        {meta?.datasets.map((d) => (
          <span key={d} className="rounded bg-stone-100 px-1.5 py-0.5 font-mono">{d}</span>
        ))}
      </div>
      {props.classNote && (
        <p data-testid="lesson-class" className="text-xs text-stone-500">{props.classNote}</p>
      )}
      {guestInvite && (
        <div data-testid="guest-invite" className="flex flex-wrap items-center gap-3 rounded-md border border-blue-200 bg-accent-soft px-3 py-2 text-sm text-blue-950">
          <span>{guestInvite}</span>
          <Link href={`/sign-in?next=/${props.locale}/lessons/${props.slug}`} className="ml-auto rounded-md bg-accent px-2.5 py-1 text-white">
            {props.signInLabel}
          </Link>
        </div>
      )}
    </div>
  );
}
