import { runCli } from "./cli/program.js";

/** The `outcome-recap` command (npm start, npm run cli, bin/outcome-recap.js): see src/cli/program.ts. */
const code = await runCli(process.argv);
// serve and worker keep running until a signal; every other command exits with its code now.
if (code !== 0 || !["serve", "worker"].includes(process.argv[2] ?? "")) process.exit(code);
