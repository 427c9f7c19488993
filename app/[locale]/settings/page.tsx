import { redirect } from "next/navigation";

// Tokens are the only settings so far.
export default async function SettingsPage({ params }: { params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  redirect(`/${locale}/settings/tokens`);
}
