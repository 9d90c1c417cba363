import { defineConfig } from "drizzle-kit";

// Only `generate` is used: migrations are committed and applied by the service at start-up.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/**/*.schema.ts",
  out: "./drizzle",
});
