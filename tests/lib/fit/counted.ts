import type {TransactionModelSpec} from "../../../src/lib/models/spec.js";

/**
 * `model` with its objective counted: `evaluated(rows)` is called on every evaluation (value, gradient and
 * Hessian alike) with the rows that objective was made for, so a test can bound a fit by its work, not by time.
 */
export function countedModel<P extends object>(model: TransactionModelSpec<P>, evaluated: (rows: Parameters<TransactionModelSpec<P>["objective"]>[0]) => void): TransactionModelSpec<P> {
  return {
    ...model,
    objective: (rows) => {
      const f = model.objective(rows);
      return (theta: Float64Array, grad?: Float64Array, hess?: Float64Array) => {
        evaluated(rows);
        return f(theta, grad, hess);
      };
    }
  };
}
