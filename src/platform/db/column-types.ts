import { customType } from "drizzle-orm/pg-core";

/** PostgreSQL bytea as a Node Buffer (postgres.js reads and writes Buffers natively). */
export const bytea = customType<{ data: Buffer; driverData: Buffer }>({
  dataType: () => "bytea",
});
