"use client";
import { useLocale } from "next-intl";
import { useSearchParams } from "next/navigation";
import { usePathname, useRouter } from "@/lib/i18n/navigation";

export function LocaleSwitcher({ label }: { label: string }) {
  const locale = useLocale();
  const pathname = usePathname();
  const router = useRouter();
  const search = useSearchParams();
  const other = locale === "es" ? "en" : "es";
  return (
    <button
      type="button"
      data-testid="locale-switcher"
      lang={other}
      className="rounded border border-stone-300 px-2 py-0.5 text-xs hover:bg-stone-100"
      onClick={() => router.replace(`${pathname}${search.size ? `?${search}` : ""}`, { locale: other })}
    >
      {label}
    </button>
  );
}
