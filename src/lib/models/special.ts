/**
 * Special functions for the probabilistic CLV models, in double precision, pure TypeScript (no DOM, no Node
 * APIs: usable in a Web Worker).
 *
 * No npm package available to this project serves a real-argument Gaussian hypergeometric function or a
 * log-gamma of known accuracy (there is no offline equivalent of scipy.special), so they are written here from
 * the standard references: Abramowitz & Stegun (1964) ch. 6 and 15, NIST DLMF §5 and §15.
 */

const LN_SQRT_2PI = 0.9189385332046728;
const EPS = 2.220446049250313e-16;

/**
 * log |Γ(x)|. Infinity at the poles (x = 0, -1, -2, ...). For x >= 10 the Stirling series (DLMF 5.11.1) to the
 * x^-13 term, whose truncation error is below 3e-17; for 0.5 <= x < 10 the recurrence Γ(x) = Γ(x+n) / (x)_n; for
 * x < 0.5 the reflection formula (DLMF 5.5.3).
 */
export function lgamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return Infinity;
  if (x < 0.5) {
    if (x === Math.floor(x)) return Infinity;
    // Γ(x)Γ(1-x) = π / sin(πx); sinpi reduces the argument first to keep precision for large |x|.
    return Math.log(Math.PI / Math.abs(sinpi(x))) - lgamma(1 - x);
  }
  if (x === 1 || x === 2) return 0;
  let shift = 0;
  if (x < 10) {
    let prod = 1;
    while (x < 10) {
      prod *= x;
      x += 1;
    }
    shift = Math.log(prod);
  }
  const r = 1 / x;
  const r2 = r * r;
  const series =
    r * (1 / 12 - r2 * (1 / 360 - r2 * (1 / 1260 - r2 * (1 / 1680 - r2 * (1 / 1188 - r2 * (691 / 360360 - r2 / 156))))));
  return (x - 0.5) * Math.log(x) - x + LN_SQRT_2PI + series - shift;
}

/** Sign of Γ(x): +1 for x > 0, alternating between the poles for x < 0, 0 at a pole. */
export function gammaSign(x: number): number {
  if (x > 0) return 1;
  if (x === Math.floor(x)) return 0;
  return Math.floor(x) % 2 === 0 ? 1 : -1;
}

/** Γ(x) itself (overflows to Infinity for x > 171.6). */
export function gamma(x: number): number {
  const s = gammaSign(x);
  return s === 0 ? NaN : s * Math.exp(lgamma(x));
}

/** sin(πx) with exact zeros at the integers. */
function sinpi(x: number): number {
  const r = x - 2 * Math.round(x / 2); // r in [-1, 1]
  if (r === 0 || r === 1 || r === -1) return 0;
  if (r > 0.5) return Math.sin(Math.PI * (1 - r));
  if (r < -0.5) return -Math.sin(Math.PI * (1 + r));
  return Math.sin(Math.PI * r);
}

/** log B(a, b) = lgamma(a) + lgamma(b) - lgamma(a + b), for a, b > 0. */
export function lbeta(a: number, b: number): number {
  return lgamma(a) + lgamma(b) - lgamma(a + b);
}

/**
 * Digamma ψ(x) = d/dx log Γ(x): upward recurrence to x >= 10, then the asymptotic expansion (DLMF 5.11.2)
 * to the x^-14 term (truncation error below 1e-16); reflection for x <= 0 (DLMF 5.5.4).
 */
export function digamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x <= 0) {
    if (x === Math.floor(x)) return NaN;
    return digamma(1 - x) - Math.PI / Math.tan(Math.PI * x);
  }
  let acc = 0;
  while (x < 10) {
    acc -= 1 / x;
    x += 1;
  }
  const x2 = 1 / (x * x);
  const series =
    x2 * (1 / 12 - x2 * (1 / 120 - x2 * (1 / 252 - x2 * (1 / 240 - x2 * (1 / 132 - x2 * (691 / 32760 - x2 / 12))))));
  return acc + Math.log(x) - 0.5 / x - series;
}

/**
 * Trigamma ψ₁(x) = d²/dx² log Γ(x) for x > 0: upward recurrence ψ₁(x) = ψ₁(x+1) + 1/x² to x >= 10, then the
 * asymptotic expansion (DLMF 5.15.8) 1/x + 1/(2x²) + Σ B₂ₖ/x^(2k+1) to the x^-13 term (truncation error below
 * 1e-15 relative). NaN for x <= 0 (not needed by the models: their arguments are positive).
 */
export function trigamma(x: number): number {
  if (!(x > 0)) return NaN;
  let acc = 0;
  while (x < 10) {
    acc += 1 / (x * x);
    x += 1;
  }
  const x2 = 1 / (x * x);
  const series = (x2 / x) * (1 / 6 - x2 * (1 / 30 - x2 * (1 / 42 - x2 * (1 / 30 - x2 * (5 / 66 - x2 * (691 / 2730))))));
  return acc + 1 / x + 0.5 * x2 + series;
}

/** log(1 + e^x) without overflow. */
export function log1pExp(x: number): number {
  if (x > 36) return x + Math.exp(-x);
  if (x < -36) return Math.exp(x);
  return Math.log1p(Math.exp(x));
}

/** log(e^a + e^b). -Infinity arguments are allowed (log 0). */
export function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/** log(e^a - e^b) for a >= b; -Infinity when a === b. */
export function logSubExp(a: number, b: number): number {
  if (b === -Infinity) return a;
  if (b > a) return NaN;
  return a + log1mExp(b - a);
}

/** log(1 - e^x) for x <= 0, accurate near 0 and for very negative x (Mächler 2012). */
export function log1mExp(x: number): number {
  if (x > 0) return NaN;
  return x > -Math.LN2 ? Math.log(-Math.expm1(x)) : Math.log1p(-Math.exp(x));
}

/** log Σ exp(values) over an array (-Infinity for an empty array). */
export function logSumExp(values: ArrayLike<number>): number {
  let m = -Infinity;
  for (let i = 0; i < values.length; i++) if (values[i] > m) m = values[i];
  if (m === -Infinity || m === Infinity) return m;
  let s = 0;
  for (let i = 0; i < values.length; i++) s += Math.exp(values[i] - m);
  return m + Math.log(s);
}

/** Logistic function 1 / (1 + e^-x), without overflow. */
export function expit(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** log(1 + x) - x, accurate for small |x| (used by some power-ratio computations). */
export function log1pMinusX(x: number): number {
  if (Math.abs(x) > 0.25) return Math.log1p(x) - x;
  // Taylor series: -x²/2 + x³/3 - ...
  let term = -x;
  let sum = 0;
  for (let k = 2; k < 60; k++) {
    term *= -x;
    const add = term / k;
    sum += add;
    if (Math.abs(add) < EPS * Math.abs(sum)) break;
  }
  return sum;
}

/**
 * (1 - y^e) / e for y > 0, continuous at e = 0 where it equals -log y: -expm1(e log y) / e.
 * Used for the (1 - ratio^(s-1)) / (s-1) and similar terms whose exponent may be close to 0.
 */
export function oneMinusPowOverExponent(y: number, e: number): number {
  const l = Math.log(y);
  const el = e * l;
  if (Math.abs(el) < 1e-8) return -l * (1 + el / 2 + (el * el) / 6);
  return -Math.expm1(el) / e;
}

const SERIES_TOL = 1e-17;
const MAX_SERIES_TERMS = 200_000;

/**
 * Gauss series Σ (a)_n (b)_n / ((c)_n n!) z^n (DLMF 15.2.1) for |z| < 1. Stops when a term is below 1e-17 of
 * the sum while the terms are shrinking, or when a or b is a non-positive integer (terminating series).
 */
function hypSeries(a: number, b: number, c: number, z: number): number {
  let sum = 1;
  let term = 1;
  for (let n = 0; n < MAX_SERIES_TERMS; n++) {
    const ratio = (((a + n) * (b + n)) / ((c + n) * (n + 1))) * z;
    term *= ratio;
    sum += term;
    if (term === 0) return sum;
    if (Math.abs(term) <= SERIES_TOL * Math.abs(sum) && Math.abs(ratio) < 1) return sum;
  }
  return sum;
}

const NEAR_INTEGER = 1e-4;

/** c - a - b from which ₂F₁ near z = 1 is the Gauss series itself (see hyp2f1Unit). */
const LARGE_EXCESS = 40;

/**
 * Gaussian hypergeometric function ₂F₁(a, b; c; z) for real parameters and real z <= 1.
 *
 * - z < 0: Pfaff transformation ₂F₁(a,b;c;z) = (1-z)^-a ₂F₁(a, c-b; c; z/(z-1)) (DLMF 15.8.1), mapping to [0, 1).
 * - 0 <= z <= 0.75: the Gauss series.
 * - 0.75 < z < 1: the connection formula in 1 - z (A&S 15.3.6 / DLMF 15.8.4), whose two series converge fast;
 *   but when a + b > 10 (its terms would cancel catastrophically) and the Gauss series has terms of one sign,
 *   the Gauss series itself (up to 200,000 terms, i.e. accurate for z up to about 0.9998); and when
 *   c - a - b >= 40 and c >= a·b (its terms fall fast), the Gauss series too.
 *   It is singular when c - a - b is an integer; within 1e-4 of an integer the value is interpolated in c
 *   (cubic, through c - a - b = m ± 1e-4, m ± 2e-4), which keeps a relative accuracy of about 1e-11 there.
 * - z = 1: Gauss's sum Γ(c)Γ(c-a-b)/(Γ(c-a)Γ(c-b)) when c - a - b > 0 (DLMF 15.4.20), Infinity otherwise.
 * Returns NaN when c is a non-positive integer (undefined) or z > 1.
 */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b) || !Number.isFinite(c) || !(z <= 1)) return NaN;
  if (c <= 0 && c === Math.floor(c)) return NaN;
  if (z === 0 || a === 0 || b === 0) return 1;
  if (z < 0) {
    const w = z / (z - 1);
    return Math.exp(-a * Math.log1p(-z)) * hyp2f1Unit(a, c - b, c, w);
  }
  return hyp2f1Unit(a, b, c, z);
}

/** ₂F₁ for 0 <= z <= 1. */
function hyp2f1Unit(a: number, b: number, c: number, z: number): number {
  if (z <= 0.75) return hypSeries(a, b, c, z);
  // With large a + b the two terms of the connection formula are huge and cancel; when the Gauss series has
  // terms of one sign (a, b > -1, c > 0) it is summed directly instead (slowly, but without cancellation).
  if (z < 1 && a + b > 10 && a > -1 && b > -1 && c > 0) return hypSeries(a, b, c, z);
  // With c far above a + b (and above a·b) the Gauss series' terms, of one sign, fall from the first at least like
  // n^-(c-a-b+1), so it is summed in tens of terms for any z < 1; the connection formula there multiplies a
  // vanishing (1-z)^(c-a-b) by a series that overflows on the way (NaN: Pareto/NBD with r + x in the
  // tens of thousands, a fit along a ridge).
  if (z < 1 && a > -1 && b > -1 && c - a - b >= LARGE_EXCESS && c >= a * b) return hypSeries(a, b, c, z);
  const d = c - a - b;
  if (z === 1) {
    if (d <= 0) return Infinity;
    return gammaRatio([c, d], [c - a, c - b]);
  }
  const m = Math.round(d);
  const e = d - m;
  if (Math.abs(e) < NEAR_INTEGER) {
    // Cubic Lagrange interpolation in c through c - a - b = m ± h, m ± 2h (h = 1e-4), where the connection
    // formula is well conditioned: interpolation error O(h^4), cancellation error about 1e-16 / h.
    const h = NEAR_INTEGER;
    const u = e / h; // in (-1, 1)
    const nodes = [-2, -1, 1, 2];
    let value = 0;
    for (let i = 0; i < 4; i++) {
      let weight = 1;
      for (let j = 0; j < 4; j++) if (j !== i) weight *= (u - nodes[j]) / (nodes[i] - nodes[j]);
      value += weight * connection(a, b, a + b + m + nodes[i] * h, z);
    }
    return value;
  }
  return connection(a, b, c, z);
}

/** A&S 15.3.6, valid for c - a - b not an integer and 0 < z < 1. */
function connection(a: number, b: number, c: number, z: number): number {
  const d = c - a - b;
  const w = 1 - z;
  const t1 = gammaRatio([c, d], [c - a, c - b]) * (gammaSign(c - a) * gammaSign(c - b) === 0 ? 0 : hypSeries(a, b, 1 - d, w));
  const t2coef = gammaRatio([c, -d], [a, b]);
  const t2 = t2coef === 0 ? 0 : t2coef * Math.exp(d * Math.log(w)) * hypSeries(c - a, c - b, 1 + d, w);
  return t1 + t2;
}

/** Π Γ(num) / Π Γ(den) with signs, computed in log space; 0 when a denominator argument is a pole. */
function gammaRatio(num: number[], den: number[]): number {
  let sign = 1;
  let log = 0;
  for (const v of den) {
    const s = gammaSign(v);
    if (s === 0) return 0;
    sign *= s;
    log -= lgamma(v);
  }
  for (const v of num) {
    const s = gammaSign(v);
    if (s === 0) return sign * Infinity;
    sign *= s;
    log += lgamma(v);
  }
  return sign * Math.exp(log);
}

/**
 * log ₂F₁(a, b; c; z) for values where ₂F₁ > 0 (NaN otherwise). For large exponents of (1 - z), the Euler
 * transformation ₂F₁(a,b;c;z) = (1-z)^(c-a-b) ₂F₁(c-a, c-b; c; z) (DLMF 15.8.1) is applied in log space when it
 * makes the remaining series smaller, which avoids overflow of the value itself.
 */
export function logHyp2f1(a: number, b: number, c: number, z: number): number {
  if (z > 0 && z < 1 && Math.abs(c - a) + Math.abs(c - b) < Math.abs(a) + Math.abs(b)) {
    return (c - a - b) * Math.log1p(-z) + Math.log(hyp2f1(c - a, c - b, c, z));
  }
  return Math.log(hyp2f1(a, b, c, z));
}
