/**
 * Derivatives and the linear algebra of standard errors for the optimiser and the fits: the max-norm,
 * central-difference gradients and Hessians, and the inverse of a symmetric positive-definite matrix by
 * Cholesky decomposition. Pure TypeScript.
 */

/** Max-norm of a vector. */
export function normInf(v: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) {
    const a = Math.abs(v[i]);
    if (!(a <= m)) m = a; // also propagates NaN
  }
  return m;
}

/** Central-difference gradient of f at x, written into grad; returns f(x). */
export function numericGradient(f: (x: Float64Array) => number, x: Float64Array, grad: Float64Array, relStep = 1e-6): number {
  const fx = f(x);
  const n = x.length;
  for (let i = 0; i < n; i++) {
    const xi = x[i];
    const h = relStep * Math.max(1, Math.abs(xi));
    x[i] = xi + h;
    const fp = f(x);
    x[i] = xi - h;
    const fm = f(x);
    x[i] = xi;
    grad[i] = (fp - fm) / (2 * h);
  }
  return fx;
}

/**
 * Central-difference Hessian of f at x (relative step h, default 1e-4): diagonal from f(x±h) and f(x), off-
 * diagonal from the four points f(x ± h_i ± h_j). When `gradient` is given, the Hessian is the symmetrised
 * central difference of the gradient instead, which is more accurate.
 */
export function numericalHessian(
  f: (x: Float64Array) => number,
  x0: ArrayLike<number>,
  {step = 1e-4, gradient}: {step?: number; gradient?: (x: Float64Array, g: Float64Array) => void} = {}
): Float64Array {
  const n = x0.length;
  const x = Float64Array.from(x0);
  const H = new Float64Array(n * n);
  const hs = Array.from(x, (v) => step * Math.max(1, Math.abs(v)));
  if (gradient) {
    const gp = new Float64Array(n);
    const gm = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const xi = x[i];
      x[i] = xi + hs[i];
      gradient(x, gp);
      x[i] = xi - hs[i];
      gradient(x, gm);
      x[i] = xi;
      for (let j = 0; j < n; j++) H[i * n + j] = (gp[j] - gm[j]) / (2 * hs[i]);
    }
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < i; j++) {
        const v = 0.5 * (H[i * n + j] + H[j * n + i]);
        H[i * n + j] = v;
        H[j * n + i] = v;
      }
    }
    return H;
  }
  const f0 = f(x);
  for (let i = 0; i < n; i++) {
    const xi = x[i];
    x[i] = xi + hs[i];
    const fp = f(x);
    x[i] = xi - hs[i];
    const fm = f(x);
    x[i] = xi;
    H[i * n + i] = (fp - 2 * f0 + fm) / (hs[i] * hs[i]);
    for (let j = 0; j < i; j++) {
      const xj = x[j];
      const at = (si: number, sj: number) => {
        x[i] = xi + si * hs[i];
        x[j] = xj + sj * hs[j];
        const v = f(x);
        x[i] = xi;
        x[j] = xj;
        return v;
      };
      const v = (at(1, 1) - at(1, -1) - at(-1, 1) + at(-1, -1)) / (4 * hs[i] * hs[j]);
      H[i * n + j] = v;
      H[j * n + i] = v;
    }
  }
  return H;
}

/**
 * Inverse of a symmetric positive-definite n×n matrix (row-major) by Cholesky decomposition; null when the
 * matrix is not positive definite (or not finite).
 */
export function invertSymmetricPositiveDefinite(A: ArrayLike<number>, n: number): Float64Array | null {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * n + j];
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      if (i === j) {
        if (!(s > 0) || !Number.isFinite(s)) return null;
        L[i * n + i] = Math.sqrt(s);
      } else {
        L[i * n + j] = s / L[j * n + j];
      }
    }
  }
  // Inverse of L (lower triangular), then A⁻¹ = L⁻ᵀ L⁻¹.
  const Li = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    Li[i * n + i] = 1 / L[i * n + i];
    for (let j = 0; j < i; j++) {
      let s = 0;
      for (let k = j; k < i; k++) s -= L[i * n + k] * Li[k * n + j];
      Li[i * n + j] = s / L[i * n + i];
    }
  }
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = i; k < n; k++) s += Li[k * n + i] * Li[k * n + j];
      inv[i * n + j] = s;
      inv[j * n + i] = s;
    }
  }
  return inv;
}
