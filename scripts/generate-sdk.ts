// Writes the service's OpenAPI document to sdk/openapi.json and the SDK's types generated from it
// (openapi-typescript) to sdk/src/api.gen.ts. With --check it writes nothing and fails when the
// committed files differ from what the routes produce: `npm run lint` runs it that way, so
// a route changed without `npm run sdk:generate` fails the lint.
//
//   npm run sdk:generate            regenerate both files
//   npm run sdk:generate -- --check fail when they are stale

import { readFileSync, writeFileSync } from "node:fs";
import { generateSdkFiles } from "./sdk-files.js";

const root = new URL("../", import.meta.url);
const files = await generateSdkFiles();

if (process.argv.includes("--check")) {
  const stale = files.filter(({ path, text }) => {
    try {
      return readFileSync(new URL(path, root), "utf8") !== text;
    } catch {
      return true;
    }
  });
  if (stale.length > 0) {
    console.error(
      `The SDK's generated files are stale against the routes: ${stale.map(({ path }) => path).join(", ")}.\n` +
        "Run `npm run sdk:generate` and commit the result.",
    );
    process.exit(1);
  }
  console.log("SDK types are up to date with the routes.");
} else {
  for (const { path, text } of files) writeFileSync(new URL(path, root), text);
  console.log(`Wrote ${files.map(({ path }) => path).join(" and ")}.`);
}
