/**
 * How many rows an UPDATE or DELETE without RETURNING touched: postgres.js reports it as `count`
 * on the result. Erasure counts up to millions of rows, which RETURNING would ship back one by one.
 */
export function rowCount(result: unknown): number {
  const count = (result as { count?: unknown }).count;
  if (typeof count !== "number") throw new Error("the driver reported no row count");
  return count;
}
