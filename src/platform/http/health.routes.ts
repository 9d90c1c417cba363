import type { Hono } from "hono";
import type { Deps } from "../../deps.js";
import { migrationsAreCurrent } from "../db/migrate.js";
import type { AppEnv } from "./app-env.js";
import { problemResponse } from "./problem.js";

export function registerHealthRoutes(app: Hono<AppEnv>, deps: Deps) {
  /** The process is up; says nothing about its dependencies. */
  app.get("/healthz", (c) => c.json({ status: "ok" }));

  /** Ready for traffic: the database answers and has every migration this build needs. */
  app.get("/readyz", async (c) => {
    const checks: Record<string, "ok" | string> = {};
    try {
      await deps.sql`select 1`;
      checks.database = "ok";
      checks.migrations = (await migrationsAreCurrent(deps.sql)) ? "ok" : "pending migrations";
    } catch (error) {
      checks.database = `unreachable: ${(error as Error).message}`;
    }
    const ready = Object.values(checks).every((value) => value === "ok");
    if (ready) return c.json({ status: "ready", checks });
    return problemResponse(c, {
      status: 503,
      code: "service_unavailable",
      detail: "Not ready for traffic.",
      extensions: { checks },
      headers: { "retry-after": "5" },
    });
  });
}
