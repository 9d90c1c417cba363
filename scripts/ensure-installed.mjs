// Runs before `npm start` and `npm test` with whatever Node the machine has (even an old one):
// installs the locked dependencies, the Node 24 runtime among them, when they are missing or
// older than package-lock.json. So a fresh clone needs only `npm start` or `npm test`.

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";

const STAMP = "node_modules/.outcome-recap-install";
const lockHash = createHash("sha256").update(readFileSync("package-lock.json")).digest("hex");

if (process.argv.includes("--stamp")) {
  // Called by `postinstall`: whatever installed the dependencies, remember which lock file it was.
  writeFileSync(STAMP, lockHash);
  process.exit(0);
}

const installed = existsSync(STAMP) ? readFileSync(STAMP, "utf8") : "";
if (installed !== lockHash) {
  console.log("Installing dependencies (npm ci): first run or package-lock.json changed…");
  const result = spawnSync("npm", ["ci", "--no-audit", "--no-fund"], {
    stdio: "inherit",
    shell: process.platform === "win32",
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
