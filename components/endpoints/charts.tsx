// Small accessible inline-SVG charts for live monitoring (no chart dependency): each has a role="img"
// with a text alternative, and the figures it draws are also given as text next to it.

export function LineChart({ title, alt, values, color = "#1d4ed8", testId }: { title: string; alt: string; values: readonly number[]; color?: string; testId?: string }) {
  const w = 320;
  const h = 80;
  const max = Math.max(1, ...values);
  const step = values.length > 1 ? w / (values.length - 1) : w;
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${(h - (v / max) * (h - 4) - 2).toFixed(1)}`).join(" ");
  return (
    <figure className="flex flex-col gap-1" data-testid={testId}>
      <figcaption className="text-xs font-medium text-stone-600">{title}</figcaption>
      <svg role="img" aria-label={alt} viewBox={`0 0 ${w} ${h}`} className="h-20 w-full max-w-sm rounded border border-stone-200 bg-stone-50">
        <title>{alt}</title>
        {values.length > 0 && <polyline fill="none" stroke={color} strokeWidth="1.5" points={points} />}
      </svg>
    </figure>
  );
}

export function BarChart({ title, alt, values, testId }: { title: string; alt: string; values: readonly number[]; testId?: string }) {
  const w = 320;
  const h = 80;
  const max = Math.max(1, ...values);
  const bw = values.length > 0 ? w / values.length : w;
  return (
    <figure className="flex flex-col gap-1" data-testid={testId}>
      <figcaption className="text-xs font-medium text-stone-600">{title}</figcaption>
      <svg role="img" aria-label={alt} viewBox={`0 0 ${w} ${h}`} className="h-20 w-full max-w-sm rounded border border-stone-200 bg-stone-50">
        <title>{alt}</title>
        {values.map((v, i) => {
          const bh = (v / max) * (h - 2);
          return <rect key={i} x={i * bw + 0.5} y={h - bh} width={Math.max(0, bw - 1)} height={bh} fill="#0f766e" />;
        })}
      </svg>
    </figure>
  );
}
