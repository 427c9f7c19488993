import { getTranslations } from "next-intl/server";
import { Link } from "@/lib/i18n/navigation";
import type { SessionUser } from "@/lib/server/auth";
import { LocaleSwitcher } from "./locale-switcher";
import { SignOutButton } from "./auth/sign-out-button";
import { NotificationsBell } from "./endpoints/notifications-bell";

export async function SiteHeader({ user }: { user: SessionUser | null }) {
  const t = await getTranslations("common");
  const tq = await getTranslations("quiz.nav");
  const tt = await getTranslations("teach");
  return (
    <header className="border-b border-stone-200 bg-white/80 backdrop-blur">
      <nav className="mx-auto flex max-w-6xl items-center gap-4 px-4 py-2.5 text-sm">
        <Link href="/" className="text-base font-bold tracking-tight">
          {t("appName")}
        </Link>
        <Link href="/" className="hover:text-accent">{t("nav.course")}</Link>
        <Link href="/notebooks" className="hover:text-accent">{t("nav.notebooks")}</Link>
        <Link href="/datasets" className="hover:text-accent">{t("nav.datasets")}</Link>
        {user && <Link href="/classes" className="hover:text-accent">{t("nav.classes")}</Link>}
        {user && <Link href="/experiments" className="hover:text-accent" data-testid="nav-experiments">{t("nav.experiments")}</Link>}
        {user && <Link href="/models" className="hover:text-accent" data-testid="nav-models">{t("nav.models")}</Link>}
        {user?.role === "instructor" && <Link href="/teach/lessons" className="hover:text-accent" data-testid="nav-teach">{tt("nav")}</Link>}
        {user?.role === "instructor" && <Link href="/quizzes" className="hover:text-accent" data-testid="nav-quizzes">{tq("quizzes")}</Link>}
        <Link href="/play" className="hover:text-accent" data-testid="nav-play">{tq("play")}</Link>
        <div className="ml-auto flex items-center gap-3">
          <LocaleSwitcher label={t("switchTo")} />
          {user ? (
            <>
              <NotificationsBell />
              <span data-testid="current-user" className="text-stone-600">
                {user.name} · {t(`roles.${user.role}`)}
              </span>
              <SignOutButton label={t("signOut")} />
            </>
          ) : (
            <>
              <Link href="/sign-in" className="hover:text-accent">{t("signIn")}</Link>
              <Link href="/sign-up" className="rounded-md bg-accent px-2.5 py-1 text-white">{t("signUp")}</Link>
            </>
          )}
        </div>
      </nav>
    </header>
  );
}
