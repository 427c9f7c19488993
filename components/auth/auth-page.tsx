import { getTranslations, setRequestLocale } from "next-intl/server";
import { Suspense } from "react";
import { AuthForm } from "@/components/auth/auth-form";
import { Card } from "@/components/ui/card";

export async function AuthPage({ locale, mode }: { locale: string; mode: "sign-in" | "sign-up" }) {
  setRequestLocale(locale);
  const t = await getTranslations("auth");
  return (
    <Card className="mx-auto mt-8 max-w-md">
      <h1 className="mb-4 text-xl font-bold">{mode === "sign-in" ? t("signInTitle") : t("signUpTitle")}</h1>
      <Suspense>
        <AuthForm mode={mode} />
      </Suspense>
    </Card>
  );
}
