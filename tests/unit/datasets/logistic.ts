// Minimal logistic regression and average precision, used only to check that the generated
// datasets are learnable but not trivially separable (independent of lib/ml).

export function averagePrecision(labels: readonly number[], scores: readonly number[]): number {
  const order = scores.map((s, i) => [s, i] as const).sort((a, b) => b[0] - a[0]);
  const positives = labels.reduce((a, b) => a + b, 0);
  let tp = 0;
  let ap = 0;
  for (let k = 0; k < order.length; k++) {
    if (labels[order[k][1]] === 1) {
      tp++;
      ap += tp / (k + 1);
    }
  }
  return positives === 0 ? 0 : ap / positives;
}

/** Standardizes with the training statistics, fits by full-batch gradient descent, returns test scores. */
export function fitLogistic(
  xTrain: number[][],
  yTrain: number[],
  xTest: number[][],
  { epochs = 300, lr = 0.5 }: { epochs?: number; lr?: number } = {},
): number[] {
  const d = xTrain[0].length;
  const mean = new Array<number>(d).fill(0);
  const sd = new Array<number>(d).fill(0);
  for (const row of xTrain) for (let j = 0; j < d; j++) mean[j] += row[j] / xTrain.length;
  for (const row of xTrain) for (let j = 0; j < d; j++) sd[j] += (row[j] - mean[j]) ** 2 / xTrain.length;
  for (let j = 0; j < d; j++) sd[j] = Math.sqrt(sd[j]) || 1;
  const z = (row: number[]) => row.map((v, j) => (v - mean[j]) / sd[j]);
  const xs = xTrain.map(z);
  const w = new Array<number>(d).fill(0);
  let b = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    const gw = new Array<number>(d).fill(0);
    let gb = 0;
    for (let i = 0; i < xs.length; i++) {
      let s = b;
      for (let j = 0; j < d; j++) s += w[j] * xs[i][j];
      const err = 1 / (1 + Math.exp(-s)) - yTrain[i];
      for (let j = 0; j < d; j++) gw[j] += err * xs[i][j];
      gb += err;
    }
    for (let j = 0; j < d; j++) w[j] -= (lr * gw[j]) / xs.length;
    b -= (lr * gb) / xs.length;
  }
  return xTest.map((row) => {
    const r = z(row);
    let s = b;
    for (let j = 0; j < d; j++) s += w[j] * r[j];
    return 1 / (1 + Math.exp(-s));
  });
}
