"use client";
import { useRouter } from "next/navigation";
import { authClient } from "@/lib/auth-client";

export function SignOutButton({ label }: { label: string }) {
  const router = useRouter();
  return (
    <button
      type="button"
      data-testid="sign-out"
      className="text-stone-600 hover:text-accent"
      onClick={async () => {
        await authClient.signOut();
        router.refresh();
      }}
    >
      {label}
    </button>
  );
}
