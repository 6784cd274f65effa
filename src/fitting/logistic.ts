/**
 * L2-regularized logistic regression, fitted by Newton's method (iteratively reweighted least squares): a few lines,
 * no randomness, the same weights for the same rows in the same order. The features are standardized first (mean 0,
 * scale 1 over the fitting rows), so that one penalty suits them all and the weights can be compared.
 */
export interface LogisticFit {
  mean: number[];
  scale: number[];
  weights: number[];
  bias: number;
}

export interface WeightedRow {
  features: number[];
  label: 0 | 1;
  /** How much the row counts in the likelihood. */
  weight: number;
}

const MAX_ITERATIONS = 50;
const TOLERANCE = 1e-8;

export function fitLogistic(rows: WeightedRow[], l2: number): LogisticFit {
  const dimensions = rows[0]?.features.length ?? 0;
  const { mean, scale } = standardization(rows, dimensions);
  const x = rows.map(({ features }) => [1, ...features.map((value, j) => (value - mean[j]) / scale[j])]);
  const size = dimensions + 1;
  let beta = new Array<number>(size).fill(0);
  const totalWeight = rows.reduce((sum, row) => sum + row.weight, 0) || 1;
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    // The penalized log-likelihood's gradient and Hessian (the bias is not penalized), per unit of total weight.
    const gradient = new Array<number>(size).fill(0);
    const hessian = Array.from({ length: size }, () => new Array<number>(size).fill(0));
    rows.forEach((row, i) => {
      const xi = x[i];
      let z = 0;
      for (let j = 0; j < size; j++) z += beta[j] * xi[j];
      const p = 1 / (1 + Math.exp(-z));
      const w = row.weight / totalWeight;
      const residual = w * (row.label - p);
      const curvature = w * p * (1 - p);
      for (let j = 0; j < size; j++) {
        gradient[j] += residual * xi[j];
        const cj = curvature * xi[j];
        for (let k = j; k < size; k++) hessian[j][k] += cj * xi[k];
      }
    });
    for (let j = 0; j < size; j++) {
      for (let k = 0; k < j; k++) hessian[j][k] = hessian[k][j];
      if (j > 0) {
        gradient[j] -= l2 * beta[j];
        hessian[j][j] += l2;
      }
      hessian[j][j] += 1e-12;
    }
    const step = solve(hessian, gradient);
    beta = beta.map((value, j) => value + step[j]);
    if (Math.max(...step.map(Math.abs)) < TOLERANCE) break;
  }
  return { mean, scale, weights: beta.slice(1), bias: beta[0] };
}

/** Each feature's mean and standard deviation over the rows (1 for a feature that never varies). */
function standardization(rows: WeightedRow[], dimensions: number): { mean: number[]; scale: number[] } {
  const mean = new Array<number>(dimensions).fill(0);
  const scale = new Array<number>(dimensions).fill(0);
  for (const { features } of rows) features.forEach((value, j) => (mean[j] += value / rows.length));
  for (const { features } of rows) features.forEach((value, j) => (scale[j] += (value - mean[j]) ** 2 / rows.length));
  return { mean, scale: scale.map((variance) => (variance > 1e-12 ? Math.sqrt(variance) : 1)) };
}

/** Solves A x = b for a symmetric positive-definite A (Cholesky). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const l = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i][j];
      for (let k = 0; k < j; k++) sum -= l[i][k] * l[j][k];
      l[i][j] = i === j ? Math.sqrt(Math.max(sum, 1e-300)) : sum / l[j][j];
    }
  }
  const y = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let sum = b[i];
    for (let k = 0; k < i; k++) sum -= l[i][k] * y[k];
    y[i] = sum / l[i][i];
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i];
    for (let k = i + 1; k < n; k++) sum -= l[k][i] * x[k];
    x[i] = sum / l[i][i];
  }
  return x;
}
