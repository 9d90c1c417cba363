import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Hono } from "hono";
import swaggerUi from "swagger-ui-dist";
import type { AppEnv } from "./app-env.js";

const ASSETS: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
};

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>outcome-recap API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="api"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/init.js"></script></body></html>`;

const INIT = `window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#api", deepLinking: true });`;

/** Swagger UI served from the npm package, so /docs works offline and without a CDN. */
export function registerDocsRoutes(app: Hono<AppEnv>) {
  const folder = swaggerUi.getAbsoluteFSPath();
  app.get("/docs", (c) => c.html(PAGE));
  app.get("/docs/assets/:file", async (c) => {
    const file = c.req.param("file");
    if (file === "init.js") return c.body(INIT, 200, { "content-type": "text/javascript; charset=utf-8" });
    const type = ASSETS[file];
    if (!type) return c.notFound();
    const bytes = await readFile(path.join(folder, file));
    return c.body(bytes, 200, { "content-type": type, "cache-control": "public, max-age=86400" });
  });
}
