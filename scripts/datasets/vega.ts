// Copies two real tables from the `vega-datasets` npm package into content/datasets/:
// seattle-weather.csv byte for byte (NOAA daily weather, for time splits and multi-class
// imbalance) and cars.csv converted from cars.json with values and order unchanged (StatLib Auto
// MPG, for regression metrics). Nothing is downloaded; the package is the source.
// Run: npx tsx scripts/datasets/vega.ts

import { readFile } from "node:fs/promises";
import path from "node:path";
import { formatCsv, parseCsv } from "../../lib/datasets/csv";
import type { Cell } from "../../lib/datasets/types";
import { countBy, CSV_TYPE, packageDir, runIfMain, utf8, type GeneratedDataset } from "./common";

async function vegaFile(name: string): Promise<Uint8Array> {
  const dir = packageDir("vega-datasets");
  return new Uint8Array(await readFile(path.join(dir, "data", name)));
}

async function vegaVersion(): Promise<string> {
  const dir = packageDir("vega-datasets");
  return (JSON.parse(await readFile(path.join(dir, "package.json"), "utf8")) as { version: string }).version;
}

export async function generateSeattleWeather(): Promise<GeneratedDataset> {
  const bytes = await vegaFile("seattle-weather.csv");
  const parsed = parseCsv(new TextDecoder().decode(bytes));
  const version = await vegaVersion();
  return {
    files: [{ file: "seattle-weather.csv", role: "data", contentType: CSV_TYPE, bytes }],
    entry: {
      name: "seattle-weather",
      kind: "table",
      title: { es: "Clima diario de Seattle (2012–2015)", en: "Seattle daily weather (2012–2015)" },
      description: {
        es:
          "Datos reales: clima diario de Seattle de 2012 a 2015 en orden temporal (precipitación, temperaturas, " +
          "viento) con una categoría de clima desbalanceada (sol y lluvia dominan; nieve y llovizna son raras).",
        en:
          "Real data: Seattle's daily weather from 2012 to 2015 in time order (precipitation, temperatures, wind) " +
          "with an imbalanced weather category (sun and rain dominate; snow and drizzle are rare).",
      },
      origin: {
        kind: "real",
        script: "scripts/datasets/vega.ts",
        seed: null,
        source: `npm package vega-datasets@${version}, data/seattle-weather.csv (NOAA National Climatic Data Center)`,
        notes: {
          es: "Copia byte a byte del archivo del paquete. La categoría «weather» fue sintetizada por vega-datasets a partir de los campos de NOAA.",
          en: "Byte-for-byte copy of the package's file. The \"weather\" category was synthesised by vega-datasets from NOAA fields.",
        },
      },
      license: {
        name: "U.S. Government work (public domain)",
        url: "https://www.usa.gov/government-works",
        notes: "Per vega-datasets' datapackage.json; the vega-datasets package itself is BSD-3-Clause.",
      },
      rows: parsed.rows.length,
      columns: [
        { name: "date", type: "date", description: { es: "Fecha de la observación.", en: "Date of the observation." } },
        { name: "precipitation", type: "number", description: { es: "Precipitación (mm).", en: "Precipitation (mm)." } },
        { name: "temp_max", type: "number", description: { es: "Temperatura máxima (°C).", en: "Maximum temperature (°C)." } },
        { name: "temp_min", type: "number", description: { es: "Temperatura mínima (°C).", en: "Minimum temperature (°C)." } },
        { name: "wind", type: "number", description: { es: "Velocidad media del viento (vega-datasets la documenta en km/h; por su magnitud parece m/s).", en: "Average wind speed (documented by vega-datasets as km/h; its magnitude suggests m/s)." } },
        {
          name: "weather",
          type: "string",
          description: { es: "Clima del día: drizzle, rain, snow, sun o fog.", en: "Weather of the day: drizzle, rain, snow, sun or fog." },
        },
      ],
      target: "weather",
      balance: countBy(parsed.rows.map((r) => r.weather)),
      image: null,
    },
  };
}

interface CarJson {
  Name: string;
  Miles_per_Gallon: number | null;
  Cylinders: number;
  Displacement: number;
  Horsepower: number | null;
  Weight_in_lbs: number;
  Acceleration: number;
  Year: string;
  Origin: string;
}

export const CARS_COLUMNS = [
  "Name",
  "Miles_per_Gallon",
  "Cylinders",
  "Displacement",
  "Horsepower",
  "Weight_in_lbs",
  "Acceleration",
  "Year",
  "Origin",
] as const;

export async function generateCars(): Promise<GeneratedDataset> {
  const cars = JSON.parse(new TextDecoder().decode(await vegaFile("cars.json"))) as CarJson[];
  const records: Cell[][] = cars.map((car) => CARS_COLUMNS.map((c) => car[c] ?? null));
  const version = await vegaVersion();
  return {
    files: [{ file: "cars.csv", role: "data", contentType: CSV_TYPE, bytes: utf8(formatCsv(CARS_COLUMNS, records)) }],
    entry: {
      name: "cars",
      kind: "table",
      title: { es: "Autos (consumo y características)", en: "Cars (fuel economy and specs)" },
      description: {
        es:
          "Datos reales: 406 autos de 1970–1982 con consumo (millas por galón), cilindros, cilindrada, potencia, peso, " +
          "aceleración, año y origen. Algunos valores faltan (null). Útil para regresión y métricas de error.",
        en:
          "Real data: 406 cars from 1970–1982 with fuel economy (miles per gallon), cylinders, displacement, " +
          "horsepower, weight, acceleration, year and origin. Some values are missing (null). For regression and " +
          "error metrics.",
      },
      origin: {
        kind: "real",
        script: "scripts/datasets/vega.ts",
        seed: null,
        source: `npm package vega-datasets@${version}, data/cars.json (StatLib Datasets Archive, Auto MPG)`,
        notes: {
          es: "Convertido de JSON a CSV sin cambiar valores ni orden; los valores ausentes quedan vacíos.",
          en: "Converted from JSON to CSV with values and order unchanged; missing values are left empty.",
        },
      },
      license: {
        name: "StatLib: distributed for educational and scientific purposes (1982)",
        url: "http://lib.stat.cmu.edu/datasets/cars.desc",
        notes: "Per vega-datasets' datapackage.json; the vega-datasets package itself is BSD-3-Clause.",
      },
      rows: records.length,
      columns: [
        { name: "Name", type: "string", description: { es: "Modelo.", en: "Model name." } },
        { name: "Miles_per_Gallon", type: "number", description: { es: "Consumo en millas por galón (objetivo habitual).", en: "Fuel economy in miles per gallon (usual target)." } },
        { name: "Cylinders", type: "integer", description: { es: "Cantidad de cilindros.", en: "Number of cylinders." } },
        { name: "Displacement", type: "number", description: { es: "Cilindrada (pulgadas cúbicas).", en: "Displacement (cubic inches)." } },
        { name: "Horsepower", type: "integer", description: { es: "Potencia (hp).", en: "Horsepower." } },
        { name: "Weight_in_lbs", type: "integer", description: { es: "Peso (libras).", en: "Weight (pounds)." } },
        { name: "Acceleration", type: "number", description: { es: "Segundos de 0 a 60 mph.", en: "Seconds from 0 to 60 mph." } },
        { name: "Year", type: "date", description: { es: "Año del modelo (como fecha AAAA-01-01).", en: "Model year (as a YYYY-01-01 date)." } },
        { name: "Origin", type: "string", description: { es: "Origen: USA, Europe o Japan.", en: "Origin: USA, Europe or Japan." } },
      ],
      target: "Miles_per_Gallon",
      balance: null,
      image: null,
    },
  };
}

runIfMain(import.meta.url, async () => [await generateSeattleWeather(), await generateCars()]);
