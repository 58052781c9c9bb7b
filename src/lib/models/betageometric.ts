/**
 * The likelihood kernel the BG/NBD (bgnbd.ts, Fader, Hardie & Lee 2005, eq. 6) and the MBG/NBD (mbgnbd.ts,
 * Batislam, Denizel & Filiztekin 2007, eq. 4) share: both are, per customer,
 *
 *   LL = c(x) + r log α + log(e^u₁ + e^u₂),   u₁ = -(r+x) log(α+T),   u₂ = log a - log(b+x+o-1) - (r+x) log(α+t_x),
 *   c(x) = log Γ(r+x) - log Γ(r) + log Γ(b+x+o) - log Γ(b) + log Γ(a+b) - log Γ(a+b+x+o),
 *
 * with o = 0 for the BG/NBD (whose customers without repeat purchase have no second term) and o = 1 for the
 * MBG/NBD (second term at x = 0 too, with t_x = 0: the customer gone right after the first purchase).
 *
 * As an objective over θ = (log r, log α, log a, log b) it returns -Σ w·LL / Σ w, its analytic gradient and
 * Hessian. c(x) and its derivatives (digamma, trigamma) are computed once per distinct x and weighted by the
 * customers with that x; log(α+T), α/(α+T) once per distinct T and t_x when the times are few (a daily grid),
 * in the row loop when they are continuous. Each row then costs one exp and one log1p (on unit weights, one log
 * per 512 rows instead: PRODUCT_FACTORS), the two logs of continuous times, and a few multiply-adds for the
 * derivatives. Nothing is allocated per evaluation.
 *
 * Derivatives, per row, with p₁ = e^u₁ / (e^u₁ + e^u₂), p₂ = 1 - p₁, and ∂u the derivatives in θ:
 * ∂ log(e^u₁ + e^u₂) = p₁ ∂u₁ + p₂ ∂u₂; ∂² = p₁ ∂²u₁ + p₂ ∂²u₂ + p₁p₂ (∂u₁ - ∂u₂)(∂u₁ - ∂u₂)ᵀ, where
 * ∂u₁ = (-r log(α+T), -(r+x) q_T, 0, 0), ∂u₂ = (-r log(α+t_x), -(r+x) q_t, 1, -q_b), q_T = α/(α+T),
 * q_t = α/(α+t_x), q_b = b/(b+x+o-1), and ∂²u in θ follows from ∂q/∂ log α = q(1-q).
 */
import {digamma, lgamma, trigamma} from "./special.js";
import type {LogObjective, SummaryRows} from "./spec.js";

/** Distinct values of a column (in order of first appearance) and, for each row, the index of its value. */
export function distinctIndex(values: Float64Array): {xValues: Float64Array; xIndex: Int32Array} {
  // Open addressing with linear probing on the value's bits (a Map keyed by doubles costs some 10× more on a
  // million distinct values: continuous recency and T).
  const n = values.length;
  const small = smallIntegerIndex(values);
  if (small) return small;
  let capacity = 16;
  while (capacity < 2 * n) capacity *= 2;
  const mask = capacity - 1;
  const table = new Int32Array(capacity).fill(-1);
  const found = new Float64Array(n);
  const xIndex = new Int32Array(n);
  const scratch = new Float64Array(1);
  const bits = new Int32Array(scratch.buffer);
  let size = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i] + 0; // -0 and 0 are one value
    scratch[0] = v;
    let h = Math.imul(bits[0] ^ 0x9e3779b1, 0x85ebca6b) ^ bits[1];
    h = Math.imul(h ^ (h >>> 16), 0xc2b2ae35);
    let slot = (h ^ (h >>> 13)) & mask;
    let j = table[slot];
    while (j !== -1 && found[j] !== v) {
      slot = (slot + 1) & mask;
      j = table[slot];
    }
    if (j === -1) {
      j = size++;
      table[slot] = j;
      found[j] = v;
    }
    xIndex[i] = j;
  }
  return {xValues: found.slice(0, size), xIndex};
}

/** distinctIndex of whole numbers from 0 to 65,535 (purchase counts): a lookup array instead of a hash. Null otherwise. */
function smallIntegerIndex(values: Float64Array): {xValues: Float64Array; xIndex: Int32Array} | null {
  const n = values.length;
  const slot = new Int32Array(65_536).fill(-1);
  const xIndex = new Int32Array(n);
  const found: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (!(v >= 0 && v < 65_536 && v === Math.floor(v))) return null;
    let j = slot[v];
    if (j === -1) {
      j = slot[v] = found.length;
      found.push(v + 0);
    }
    xIndex[i] = j;
  }
  return {xValues: Float64Array.from(found), xIndex};
}

/**
 * The rows' values of a time column and an index into them when they are few (a daily grid: logs are then taken
 * once per value); null when most values differ (continuous times: the kernel then reads the column itself,
 * since an index would only add a random memory access and a pass over the values per row). Judged on the
 * first 4,096 rows (more than a quarter distinct: null).
 */
function timeIndex(values: Float64Array): {xValues: Float64Array; xIndex: Int32Array} | null {
  const sample = Math.min(values.length, 4096);
  if (distinctIndex(values.subarray(0, sample)).xValues.length > 0.25 * sample) return null;
  return distinctIndex(values);
}

/**
 * Factors 1 + e (each in [1, 2]) multiplied before one log is taken: a product stays below 2^512, far from
 * overflow, and its rounding (some 10⁻¹⁴ relative) is below that of the sum it is added to. It saves the log1p
 * of each row on unit weights (from PRODUCT_ROWS rows: the order of the additions changes, and with it the
 * objective's last bits, which central differences of small data sets would see).
 */
const PRODUCT_FACTORS = 512;
/** Rows from which products replace the log1p of each row (see PRODUCT_FACTORS). */
const PRODUCT_ROWS = 65_536;

/**
 * -Σ w·LL / Σ w of the BG/NBD (offset 0) or MBG/NBD (offset 1) over log-parameters; writes the gradient into
 * `grad` and the Hessian (4×4, row-major) into `hess` when given (the Hessian only with the gradient).
 */
export function betaGeometricObjective(rows: SummaryRows, offset: 0 | 1): LogObjective {
  const n = rows.x.length;
  const {x: X, weight: W} = rows;
  // t_x of a customer without repeat purchase is 0 in the MBG/NBD's second term (and unused in the BG/NBD);
  // compressed rows have it so already, and are then read as they are.
  let txRows = rows.tx;
  for (let i = 0; i < n; i++) {
    if (X[i] === 0 && txRows[i] !== 0) {
      txRows = Float64Array.from(rows.tx, (t, row) => (X[row] === 0 ? 0 : t));
      break;
    }
  }
  const {xValues, xIndex} = distinctIndex(X);
  const TRows = rows.T;
  // Distinct times and an index into them, or null: the times are read from the rows (see timeIndex).
  const tGroups = timeIndex(TRows);
  const sGroups = timeIndex(txRows);
  const tValues = tGroups ? tGroups.xValues : new Float64Array(0);
  const tIndex = tGroups ? tGroups.xIndex : new Int32Array(0);
  const sValues = sGroups ? sGroups.xValues : new Float64Array(0);
  const sIndex = sGroups ? sGroups.xIndex : new Int32Array(0);
  const tDirect = tGroups === null;
  const sDirect = sGroups === null;
  const k = xValues.length;
  const xWeight = new Float64Array(k); // customers per distinct x
  const second = new Uint8Array(k); // whether rows with this x have the second term
  let totalWeight = 0;
  // Every weight 1 on many rows (the uncompressed rows of fitRows): see PRODUCT_FACTORS. Smaller data (CDNOW)
  // keep the log1p of each row, and with it the last digits of their objective.
  let unit = n >= PRODUCT_ROWS;
  for (let i = 0; i < n; i++) {
    xWeight[xIndex[i]] += W[i];
    totalWeight += W[i];
    if (W[i] !== 1) unit = false;
  }
  for (let j = 0; j < k; j++) second[j] = offset === 1 || xValues[j] > 0 ? 1 : 0;
  const logBx = new Float64Array(k); // log(b+x+o-1)
  const qB = new Float64Array(k); // b/(b+x+o-1)
  const logT = new Float64Array(tValues.length);
  const qT = new Float64Array(tValues.length);
  const logS = new Float64Array(sValues.length);
  const qS = new Float64Array(sValues.length);
  return (theta, grad, hess) => {
    const r = Math.exp(theta[0]);
    const alpha = Math.exp(theta[1]);
    const a = Math.exp(theta[2]);
    const b = Math.exp(theta[3]);
    if (!(r > 0 && alpha > 0 && a > 0 && b > 0) || !Number.isFinite(r + alpha + a + b)) return NaN;
    // Per distinct x: Σ_x W_x c(x) and its derivatives in θ.
    const lgR = lgamma(r);
    const lgB = lgamma(b);
    const lgAB = lgamma(a + b);
    const psiR = grad ? digamma(r) : 0;
    const psiB = grad ? digamma(b) : 0;
    const psiAB = grad ? digamma(a + b) : 0;
    const triR = hess ? trigamma(r) : 0;
    const triB = hess ? trigamma(b) : 0;
    const triAB = hess ? trigamma(a + b) : 0;
    let cSum = 0;
    let cR = 0;
    let cA = 0;
    let cB = 0;
    let cRR = 0;
    let cAA = 0;
    let cAB = 0;
    let cBB = 0;
    for (let j = 0; j < k; j++) {
      const x = xValues[j];
      const w = xWeight[j];
      if (second[j]) {
        logBx[j] = Math.log(b + x + offset - 1);
        qB[j] = b / (b + x + offset - 1);
      }
      if (x + offset === 0) continue; // c(0) = 0 in the BG/NBD
      const bx = b + x + offset;
      const abx = a + b + x + offset;
      cSum += w * (lgamma(r + x) - lgR + lgamma(bx) - lgB + lgAB - lgamma(abx));
      if (!grad) continue;
      const psiABx = digamma(abx);
      const dR = x === 0 ? 0 : digamma(r + x) - psiR;
      const dA = psiAB - psiABx;
      const dB = digamma(bx) - psiB + dA;
      cR += w * dR;
      cA += w * dA;
      cB += w * dB;
      if (!hess) continue;
      const hA = triAB - trigamma(abx);
      cRR += w * (r * dR + r * r * (x === 0 ? 0 : trigamma(r + x) - triR));
      cAA += w * (a * dA + a * a * hA);
      cAB += w * hA;
      cBB += w * (b * dB + b * b * (trigamma(bx) - triB + hA));
    }
    for (let j = 0; j < tValues.length; j++) {
      logT[j] = Math.log(alpha + tValues[j]);
      qT[j] = alpha / (alpha + tValues[j]);
    }
    for (let j = 0; j < sValues.length; j++) {
      logS[j] = Math.log(alpha + sValues[j]);
      qS[j] = alpha / (alpha + sValues[j]);
    }
    const logA = Math.log(a);
    const logAlpha = Math.log(alpha);
    let ll = 0;
    // Unit weights (uncompressed rows): Σ log(1 + e) is taken as the log of products of PRODUCT_FACTORS factors.
    let product = 1;
    let factors = 0;
    if (!grad) {
      for (let i = 0; i < n; i++) {
        const j = xIndex[i];
        const u1 = -(r + X[i]) * (tDirect ? Math.log(alpha + TRows[i]) : logT[tIndex[i]]);
        if (!second[j]) {
          ll += W[i] * u1;
          continue;
        }
        const u2 = logA - logBx[j] - (r + X[i]) * (sDirect ? Math.log(alpha + txRows[i]) : logS[sIndex[i]]);
        const e = Math.exp(-Math.abs(u1 - u2));
        if (unit) {
          ll += u1 > u2 ? u1 : u2;
          product *= 1 + e;
          if (++factors === PRODUCT_FACTORS) {
            ll += Math.log(product);
            product = 1;
            factors = 0;
          }
        } else ll += W[i] * ((u1 > u2 ? u1 : u2) + Math.log1p(e));
      }
      ll += Math.log(product);
      return -(cSum + totalWeight * r * logAlpha + ll) / totalWeight;
    }
    // Sums over rows (see the module comment): L = Σ w (p₁ log(α+T) + p₂ log(α+t_x)), Q = Σ w (r+x)(p₁q_T + p₂q_t),
    // Q1 = Σ w (p₁q_T + p₂q_t), QQ = Σ w (r+x)(p₁q_T(1-q_T) + p₂q_t(1-q_t)), P2 = Σ w p₂ (B: times q_b,
    // BB: times q_b(1-q_b)), and Σ w p₁p₂ times products of D = log(α+t_x) - log(α+T), E = (r+x)(q_t - q_T), q_b.
    let sL = 0;
    let sQ = 0;
    let sQ1 = 0;
    let sQQ = 0;
    let sP2 = 0;
    let sP2B = 0;
    let sP2BB = 0;
    let sPP = 0;
    let sPPD = 0;
    let sPPE = 0;
    let sPPB = 0;
    let sPPDD = 0;
    let sPPDE = 0;
    let sPPEE = 0;
    let sPPDB = 0;
    let sPPEB = 0;
    let sPPBB = 0;
    for (let i = 0; i < n; i++) {
      const w = W[i];
      const j = xIndex[i];
      const rx = r + X[i];
      let lT: number;
      let q1: number;
      if (tDirect) {
        const at = alpha + TRows[i];
        lT = Math.log(at);
        q1 = alpha / at;
      } else {
        const ti = tIndex[i];
        lT = logT[ti];
        q1 = qT[ti];
      }
      const u1 = -rx * lT;
      if (!second[j]) {
        ll += w * u1;
        sL += w * lT;
        sQ += w * rx * q1;
        sQ1 += w * q1;
        sQQ += w * rx * q1 * (1 - q1);
        continue;
      }
      let lt: number;
      let q2: number;
      if (sDirect) {
        const as = alpha + txRows[i];
        lt = Math.log(as);
        q2 = alpha / as;
      } else {
        const si = sIndex[i];
        lt = logS[si];
        q2 = qS[si];
      }
      const u2 = logA - logBx[j] - rx * lt;
      // log(e^u₁ + e^u₂) = max + log(1 + e), e = e^-|u₁-u₂|; p₁ = e^u₁ / (e^u₁ + e^u₂).
      const e = Math.exp(-Math.abs(u1 - u2));
      const onePlus = 1 + e;
      if (unit) {
        ll += u1 > u2 ? u1 : u2;
        product *= onePlus;
        if (++factors === PRODUCT_FACTORS) {
          ll += Math.log(product);
          product = 1;
          factors = 0;
        }
      } else ll += w * ((u1 > u2 ? u1 : u2) + Math.log1p(e));
      const p1 = (u1 > u2 ? 1 : e) / onePlus;
      const p2 = 1 - p1;
      const qb = qB[j];
      sL += w * (p1 * lT + p2 * lt);
      const qq = p1 * q1 + p2 * q2;
      sQ1 += w * qq;
      sQ += w * rx * qq;
      sQQ += w * rx * (p1 * q1 * (1 - q1) + p2 * q2 * (1 - q2));
      const wp2 = w * p2;
      sP2 += wp2;
      sP2B += wp2 * qb;
      sP2BB += wp2 * qb * (1 - qb);
      const wpp = wp2 * p1;
      const D = lt - lT;
      const E = rx * (q2 - q1);
      sPP += wpp;
      sPPD += wpp * D;
      sPPE += wpp * E;
      sPPB += wpp * qb;
      sPPDD += wpp * D * D;
      sPPDE += wpp * D * E;
      sPPEE += wpp * E * E;
      sPPDB += wpp * D * qb;
      sPPEB += wpp * E * qb;
      sPPBB += wpp * qb * qb;
    }
    ll += Math.log(product);
    const value = cSum + totalWeight * r * logAlpha + ll;
    const scale = -1 / totalWeight; // objective = -LL / Σw
    grad[0] = scale * (r * cR + totalWeight * r * logAlpha - r * sL);
    grad[1] = scale * (totalWeight * r - sQ);
    grad[2] = scale * (a * cA + sP2);
    grad[3] = scale * (b * cB - sP2B);
    if (hess) {
      const h = [
        [cRR + totalWeight * r * logAlpha - r * sL + r * r * sPPDD, totalWeight * r - r * sQ1 + r * sPPDE, -r * sPPD, r * sPPDB],
        [0, -sQQ + sPPEE, -sPPE, sPPEB],
        [0, 0, cAA + sPP, a * b * cAB - sPPB],
        [0, 0, 0, cBB - sP2BB + sPPBB]
      ];
      for (let i = 0; i < 4; i++) {
        for (let j = i; j < 4; j++) {
          hess[i * 4 + j] = scale * h[i][j];
          hess[j * 4 + i] = scale * h[i][j];
        }
      }
    }
    return -value / totalWeight;
  };
}
