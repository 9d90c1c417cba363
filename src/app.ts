import { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import { registerAssetRoutes } from "./assets/assets.routes.js";
import { registerPreviewRoutes } from "./assets/preview.routes.js";
import { registerDemoSignupRoutes } from "./demo/demo-signup.routes.js";
import type { Deps } from "./deps.js";
import { registerSegmentRoutes } from "./integrations/segment/segment.routes.js";
import { registerLoopAnalyticsRoutes } from "./loop/analytics.routes.js";
import { registerConversionRoutes } from "./loop/conversions.routes.js";
import { registerOutboxRoutes } from "./mail/outbox.routes.js";
import { registerMomentRoutes } from "./moments/moments.routes.js";
import { apiKeyAuth } from "./platform/auth/api-key-auth.js";
import { registerLoginRoutes } from "./platform/auth/login.routes.js";
import { loadSession } from "./platform/auth/sessions.js";
import type { AppEnv } from "./platform/http/app-env.js";
import { registerDocsRoutes } from "./platform/http/docs.routes.js";
import { createErrorHandler, createNotFoundHandler } from "./platform/http/error-handler.js";
import { registerHealthRoutes } from "./platform/http/health.routes.js";
import { limitJsonDepth } from "./platform/http/json-depth.js";
import { validationHook } from "./platform/http/openapi.js";
import { ProblemError } from "./platform/http/problem.js";
import { publicBaseUrl } from "./platform/http/public-base-url.js";
import { requestLogger } from "./platform/http/request-logger.js";
import { strictUtf8 } from "./platform/http/strict-utf8.js";
import { idempotency } from "./platform/idempotency/idempotency.js";
import { httpMetrics } from "./platform/metrics/http-metrics.js";
import { registerMetricsRoute } from "./platform/metrics/metrics.routes.js";
import { rateLimit } from "./platform/rate-limit/rate-limit.js";
import { registerTenancyRoutes } from "./platform/tenancy/tenancy.routes.js";
import { registerErasureRoutes } from "./privacy/erasure.routes.js";
import { registerCustomerRoutes } from "./publishing/customer.routes.js";
import { registerRecapRoutes } from "./recaps/recaps.routes.js";
import { registerLoopDashboardRoutes } from "./review/growth/dashboard.routes.js";
import { registerReviewRoutes } from "./review/review.routes.js";
import { registerReviewPageRoutes } from "./review/review-pages.routes.js";
import { sharingRoutes } from "./sharing/sharing.routes.js";
import { registerUsageRoutes } from "./usage/usage.routes.js";
import { registerValueModelRoutes } from "./usage/value-model.routes.js";
import { registerWebhookRoutes } from "./webhooks/webhooks.routes.js";

export type App = OpenAPIHono<AppEnv>;

function limitBody(maxSize: number) {
  return bodyLimit({
    maxSize,
    onError: () => {
      throw new ProblemError({
        status: 413,
        code: "payload_too_large",
        detail: `The body is larger than ${maxSize} bytes.`,
      });
    },
  });
}

/** The whole HTTP surface, built from its dependencies: no I/O and no port here. */
export function createApp(deps: Deps): App {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const sharing = sharingRoutes(deps);
  // First of all, so request latency covers every route and middleware, the share redirect included.
  app.use(httpMetrics(deps.metrics));
  sharing.registerRedirect(app);

  app.use(
    requestId({
      // Accept a caller's id only when it is short and plain, so it is safe to log and echo.
      generator: () => crypto.randomUUID(),
      limitLength: 100,
    }),
  );
  app.use(requestLogger(deps.log));
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", "data:"],
        scriptSrc: ["'self'"],
        frameAncestors: ["'none'"],
      },
      crossOriginResourcePolicy: "same-site",
    }),
  );
  // Event batches (up to 10,000 events) get a larger body limit than everything else.
  const defaultLimit = limitBody(deps.config.bodyLimitBytes);
  const eventsLimit = limitBody(deps.config.eventsBodyLimitBytes);
  app.use((c, next) => (c.req.path === "/v1/events" ? eventsLimit(c, next) : defaultLimit(c, next)));
  app.use(strictUtf8());
  app.use(limitJsonDepth());
  app.use("/v1/*", apiKeyAuth(deps));
  app.use("/v1/*", rateLimit(deps));
  app.use("/v1/*", idempotency(deps));
  app.use("/review/*", loadSession(deps));
  app.use("/review", loadSession(deps));

  registerHealthRoutes(app, deps);
  registerMetricsRoute(app, deps);
  registerDocsRoutes(app);
  registerTenancyRoutes(app, deps);
  registerUsageRoutes(app, deps);
  registerSegmentRoutes(app, deps);
  registerValueModelRoutes(app, deps);
  registerRecapRoutes(app, deps);
  registerAssetRoutes(app, deps);
  registerReviewRoutes(app, deps);
  registerMomentRoutes(app, deps);
  registerWebhookRoutes(app, deps);
  registerLoginRoutes(app, deps);
  registerReviewPageRoutes(app, deps);
  registerCustomerRoutes(app, deps);
  registerPreviewRoutes(app, deps);
  sharing.registerRest(app);
  registerConversionRoutes(app, deps);
  registerDemoSignupRoutes(app, deps);
  registerErasureRoutes(app, deps);
  registerLoopAnalyticsRoutes(app, deps);
  registerLoopDashboardRoutes(app, deps);
  registerOutboxRoutes(app, deps);

  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: "An API key: `Authorization: Bearer ork_…`. Keys carry scopes.",
  });
  // The servers entry follows the request (unless PUBLIC_BASE_URL is set), so Swagger's "Try it out"
  // calls the origin the docs were opened at.
  app.doc31("/openapi.json", (c) => ({
    openapi: "3.1.0",
    info: {
      title: "outcome-recap API",
      version: "0.1.0",
      description:
        "Turn a customer's usage into a shareable quarterly outcome recap. Errors are RFC 9457 problem+json.",
    },
    servers: [{ url: publicBaseUrl(c, deps.config) }],
  }));

  app.onError(createErrorHandler(deps.log));
  app.notFound(createNotFoundHandler(() => app.routes));
  return app;
}
