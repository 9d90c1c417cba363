import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { generateSdkFiles } from "../../scripts/sdk-files.js";

describe("the SDK's generated files", () => {
  it("are what the current routes generate (npm run sdk:generate after changing a route)", async () => {
    for (const { path, text } of await generateSdkFiles()) {
      expect(readFileSync(new URL(`../../${path}`, import.meta.url), "utf8"), path).toBe(text);
    }
  });
});
