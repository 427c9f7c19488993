// Regenerates every dataset in content/datasets/ and its catalog entry, in catalog order.
// Run: npx tsx scripts/datasets/build-all.ts

import { generateDigits } from "./digits";
import { generateFraud } from "./fraud";
import { generateMagnetSignals } from "./magnet-signals";
import { generateSalesDaily } from "./sales-daily";
import { generateSplit200 } from "./split-200";
import { generateCars, generateSeattleWeather } from "./vega";
import { runIfMain, type GeneratedDataset } from "./common";

export async function generateAll(): Promise<GeneratedDataset[]> {
  return [
    generateFraud(),
    generateMagnetSignals(),
    generateSplit200(),
    await generateDigits(),
    generateSalesDaily(),
    await generateSeattleWeather(),
    await generateCars(),
  ];
}

runIfMain(import.meta.url, generateAll);
