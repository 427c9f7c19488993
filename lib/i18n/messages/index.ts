// Messages live in one file per namespace and locale, so each domain edits its own file.
// Add a namespace here when you add its files.
import type { Locale } from "../routing";

export const namespaces = ["common", "auth", "classes", "errors", "home", "datasets", "notebook", "tracking", "challenges", "gradebook", "exercises", "models", "quiz", "teach"] as const;

export async function loadMessages(locale: Locale): Promise<Record<string, unknown>> {
  const entries = await Promise.all(
    namespaces.map(async (ns) => [ns, (await import(`./${locale}/${ns}.json`)).default] as const),
  );
  return Object.fromEntries(entries);
}
