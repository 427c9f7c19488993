// Locales are chosen by URL prefix (/es/..., /en/...); Spanish first, as the course is taught.
import { defineRouting } from "next-intl/routing";

export const locales = ["es", "en"] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = "es";

export const routing = defineRouting({ locales, defaultLocale, localePrefix: "always" });

export function isLocale(value: string): value is Locale {
  return (locales as readonly string[]).includes(value);
}
