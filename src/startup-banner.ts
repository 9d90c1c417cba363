import type { Config } from "./config.js";
import type { DemoCredentials } from "./demo/demo-seed.js";

/** What a person who just ran `npm start` needs next: where things are and how to sign in. */
export function printBanner(
  config: Config,
  state: { worker: boolean; embedded: { clusterDir: string } | undefined; demo: DemoCredentials | undefined },
) {
  const base = config.publicBaseUrl;
  const lines = [
    "",
    "outcome-recap is running",
    `  API            ${base}/v1`,
    `  API docs       ${base}/docs   (OpenAPI: ${base}/openapi.json)`,
    `  Review pages   ${base}/review`,
    `  Growth loop    ${base}/review/growth   (analytics: ${base}/v1/analytics/loop)`,
    `  Health         ${base}/healthz   ${base}/readyz`,
    `  Database       ${state.embedded ? `embedded PostgreSQL in ${state.embedded.clusterDir} (kept between runs)` : "DATABASE_URL"}`,
    `  Jobs           ${state.worker ? "worker running in this process" : "not in this process (--no-worker): run `outcome-recap worker`"}`,
  ];
  if (state.demo) {
    lines.push(
      "",
      'Demo tenant ("demo")',
      `  Reviewer login ${state.demo.reviewerEmail} / ${state.demo.reviewerPassword}`,
      `  API key        ${state.demo.apiKey}`,
      "",
      "Next steps",
      `  curl -H "Authorization: Bearer ${state.demo.apiKey}" ${base}/v1/tenant`,
      "  # a recap for the Finnish demo account (30 accounts with two quarters of usage are seeded):",
      `  curl -X POST -H "Authorization: Bearer ${state.demo.apiKey}" -H "Content-Type: application/json" \\`,
      `       -d '{"account":"kide-analytics"}' ${base}/v1/recaps`,
      `  open ${base}/review and sign in with the reviewer login above`,
      `  open ${base}/review/growth: twelve weeks of sample loop history, marked as demo data`,
    );
  }
  lines.push("", "Stop with Ctrl+C.", "");
  console.log(lines.join("\n"));
}
