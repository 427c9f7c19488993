"use client";
// The join link as a QR code, drawn here from the `qrcode` package's module matrix as one SVG
// path: no network, no image service.
import QRCode from "qrcode";
import { useMemo } from "react";

export function JoinQr({ url, label, className = "h-64 w-64" }: { url: string; label: string; className?: string }) {
  const { size, d } = useMemo(() => {
    const qr = QRCode.create(url, { errorCorrectionLevel: "M" });
    const n = qr.modules.size;
    let path = "";
    for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) if (qr.modules.get(y, x)) path += `M${x + 4} ${y + 4}h1v1h-1z`;
    return { size: n + 8, d: path };
  }, [url]);
  return (
    <svg viewBox={`0 0 ${size} ${size}`} className={`${className} bg-white`} role="img" aria-label={label} data-testid="join-qr" shapeRendering="crispEdges">
      <path d={d} fill="black" />
    </svg>
  );
}
