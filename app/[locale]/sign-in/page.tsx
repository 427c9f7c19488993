import { AuthPage } from "@/components/auth/auth-page";

export default async function SignInPage({ params }: { params: Promise<{ locale: string }> }) {
  return <AuthPage locale={(await params).locale} mode="sign-in" />;
}
