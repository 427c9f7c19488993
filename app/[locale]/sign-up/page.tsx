import { AuthPage } from "@/components/auth/auth-page";

export default async function SignUpPage({ params }: { params: Promise<{ locale: string }> }) {
  return <AuthPage locale={(await params).locale} mode="sign-up" />;
}
