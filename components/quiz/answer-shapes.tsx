// Answer buttons' looks: each option has a colour AND a shape (triangle, diamond, circle,
// square, …) and its letter, so players who cannot tell the colours apart still can tell the
// buttons apart. Colours keep white text at ≥ 4.5:1 contrast.
import type { ReactNode } from "react";

export const OPTION_STYLES = [
  { name: "triangle", bg: "bg-red-700", ring: "ring-red-700", fill: "#b91c1c" },
  { name: "diamond", bg: "bg-blue-700", ring: "ring-blue-700", fill: "#1d4ed8" },
  { name: "circle", bg: "bg-amber-700", ring: "ring-amber-700", fill: "#b45309" },
  { name: "square", bg: "bg-green-700", ring: "ring-green-700", fill: "#15803d" },
  { name: "star", bg: "bg-purple-700", ring: "ring-purple-700", fill: "#7e22ce" },
  { name: "hexagon", bg: "bg-teal-700", ring: "ring-teal-700", fill: "#0f766e" },
  { name: "heart", bg: "bg-pink-700", ring: "ring-pink-700", fill: "#be185d" },
  { name: "pentagon", bg: "bg-stone-700", ring: "ring-stone-700", fill: "#44403c" },
] as const;

const PATHS: Record<(typeof OPTION_STYLES)[number]["name"], ReactNode> = {
  triangle: <polygon points="12,3 22,21 2,21" />,
  diamond: <polygon points="12,2 22,12 12,22 2,12" />,
  circle: <circle cx="12" cy="12" r="10" />,
  square: <rect x="3" y="3" width="18" height="18" />,
  star: <polygon points="12,2 14.9,8.6 22,9.3 16.6,14 18.2,21 12,17.3 5.8,21 7.4,14 2,9.3 9.1,8.6" />,
  hexagon: <polygon points="6.5,3 17.5,3 23,12 17.5,21 6.5,21 1,12" />,
  heart: <path d="M12 21s-9-5.6-9-11.5A4.9 4.9 0 0 1 12 6.6 4.9 4.9 0 0 1 21 9.5C21 15.4 12 21 12 21z" />,
  pentagon: <polygon points="12,2 22,9.5 18.2,21 5.8,21 2,9.5" />,
};

export const optionLetter = (i: number) => String.fromCharCode(65 + i);

/** The option's shape as an inline SVG in white (on its colour) or in its colour. */
export function OptionShape({ index, className = "h-6 w-6", colored = false }: { index: number; className?: string; colored?: boolean }) {
  const style = OPTION_STYLES[index % OPTION_STYLES.length];
  return (
    <svg viewBox="0 0 24 24" className={className} aria-hidden="true" fill={colored ? style.fill : "white"} data-shape={style.name}>
      {PATHS[style.name]}
    </svg>
  );
}

/** True/false use the first two looks: true = blue diamond, false = red triangle (as Kahoot). */
export const TRUE_FALSE_INDEX = { true: 1, false: 0 } as const;
