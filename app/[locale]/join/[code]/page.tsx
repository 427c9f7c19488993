import { getTranslations, setRequestLocale } from "next-intl/server";
import { JoinClassForm } from "@/components/class/classes-dashboard";
import { Link } from "@/lib/i18n/navigation";
import { getPageUser } from "@/lib/server/page-session";

export default async function JoinPage({ params }: { params: Promise<{ locale: string; code: string }> }) {
  const { locale, code } = await params;
  setRequestLocale(locale);
  const t = await getTranslations("classes");
  const user = await getPageUser();
  const cleanCode = decodeURIComponent(code).slice(0, 32);
  return (
    <div className="mx-auto flex max-w-md flex-col gap-4">
      <h1 className="text-2xl font-bold">{t("joinPageTitle")}</h1>
      {user ? (
        <JoinClassForm initialCode={cleanCode} />
      ) : (
        <p>
          <Link className="text-accent underline" href={`/sign-in?next=${encodeURIComponent(`/${locale}/join/${cleanCode}`)}`}>
            {t("joinPageSignIn", { code: cleanCode })}
          </Link>
        </p>
      )}
    </div>
  );
}
