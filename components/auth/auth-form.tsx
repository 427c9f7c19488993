"use client";
// Sign-in and sign-up through better-auth; its error codes are shown as translated messages.
import { useLocale, useTranslations } from "next-intl";
import { useRouter, useSearchParams } from "next/navigation";
import { useState, type FormEvent } from "react";
import { authClient } from "@/lib/auth-client";
import { Link } from "@/lib/i18n/navigation";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { safeNextPath } from "@/lib/safe-redirect";

export function AuthForm({ mode }: { mode: "sign-in" | "sign-up" }) {
  const t = useTranslations("auth");
  const locale = useLocale();
  const router = useRouter();
  const params = useSearchParams();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const messageFor = (code: string | undefined, status?: number) => {
    if (status === 429) return t("errors.TOO_MANY_REQUESTS");
    const known = code && t.has(`errors.${code}`) ? code : "unknown";
    return t(`errors.${known}`);
  };

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const email = String(form.get("email") ?? "").trim();
    const password = String(form.get("password") ?? "");
    setPending(true);
    setError(null);
    try {
      const result =
        mode === "sign-in"
          ? await authClient.signIn.email({ email, password })
          : await authClient.signUp.email({
              email,
              password,
              name: String(form.get("name") ?? "").trim(),
              role: String(form.get("role") ?? "student"),
              locale,
            } as Parameters<typeof authClient.signUp.email>[0]);
      if (result.error) {
        setError(messageFor(result.error.code, result.error.status));
        return;
      }
      // `next` comes from the URL: only a path on this origin is followed (see lib/safe-redirect).
      router.push(safeNextPath(params.get("next"), window.location.origin, `/${locale}`));
      router.refresh();
    } catch {
      setError(t("errors.unknown"));
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-3" noValidate={false} data-testid={`${mode}-form`}>
      {params.get("expired") && <Alert tone="info" testId="session-expired">{t("sessionExpired")}</Alert>}
      {mode === "sign-up" && (
        <Field label={t("name")}>
          <Input name="name" required minLength={1} maxLength={80} autoComplete="name" />
        </Field>
      )}
      <Field label={t("email")}>
        <Input name="email" type="email" required autoComplete="email" />
      </Field>
      <Field label={t("password")} hint={mode === "sign-up" ? t("passwordHint") : undefined}>
        <Input name="password" type="password" required minLength={mode === "sign-up" ? 8 : 1} autoComplete={mode === "sign-up" ? "new-password" : "current-password"} />
      </Field>
      {mode === "sign-up" && (
        <fieldset className="flex gap-4 text-sm">
          <legend className="mb-1 font-medium">{t("role")}</legend>
          <RoleOption value="student" defaultChecked />
          <RoleOption value="instructor" />
        </fieldset>
      )}
      {error && <Alert tone="error" testId="auth-error">{error}</Alert>}
      <Button type="submit" disabled={pending}>{mode === "sign-in" ? t("submitSignIn") : t("submitSignUp")}</Button>
      <p className="text-sm text-stone-600">
        {mode === "sign-in" ? t("noAccount") : t("haveAccount")}{" "}
        <Link className="text-accent underline" href={mode === "sign-in" ? "/sign-up" : "/sign-in"}>
          {mode === "sign-in" ? t("submitSignUp") : t("submitSignIn")}
        </Link>
      </p>
    </form>
  );
}

function RoleOption({ value, defaultChecked }: { value: "student" | "instructor"; defaultChecked?: boolean }) {
  const t = useTranslations("common");
  return (
    <label className="flex items-center gap-1.5">
      <input type="radio" name="role" value={value} defaultChecked={defaultChecked} />
      {t(`roles.${value}`)}
    </label>
  );
}
