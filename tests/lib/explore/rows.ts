// Shared by the cells and daily tests.
const CUSTOMER_FIELDS = ["customers", "customers_7d", "customers_28d", "previous_customers"];

/** The rows with every customers field set to null (what cells without a customer key give). */
export function withoutCustomers<T extends object>(rows: readonly T[]): T[] {
  return rows.map((row) => {
    const out = {...row} as Record<string, unknown>;
    for (const key of CUSTOMER_FIELDS) if (key in out) out[key] = null;
    return out as T;
  });
}
