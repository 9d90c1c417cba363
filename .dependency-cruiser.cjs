/**
 * The architecture, checked (npm run lint). docs/architecture.md says the same in words.
 *
 * Folders under src/ are layered: a folder imports (at run time) only folders in layers below its
 * own, never one beside or above it. Every runtime import between folders points down, so no two
 * folders can ever import each other, directly or round a loop: there is no folder-level cycle.
 * To let a lower folder learn what a higher one does, the higher one reacts to it (the recap and
 * usage reactions in src/deps.ts) or the function moves to the folder that owns its tables.
 * Type-only imports are left out of the layering: they vanish at compile time.
 */
const LAYERS = [
  ["i18n", "rendering", "types"],
  ["platform"],
  ["drafting", "usage"],
  ["recaps"],
  ["moments", "assets", "webhooks", "integrations"],
  ["sharing"],
  ["loop"],
  ["publishing"],
  ["review"],
  ["mail"],
  ["demo", "privacy"],
  // The command line runs every command (serve seeds the demo), so it sits above everything.
  ["cli"],
];

const layerOf = new Map(LAYERS.flatMap((folders, layer) => folders.map((folder) => [folder, layer])));
const notBelow = (folder) => [...layerOf].filter(([, layer]) => layer >= layerOf.get(folder)).map(([name]) => name);

const layering = [...layerOf.keys()].map((folder) => ({
  name: `layers-${folder}`,
  comment: `${folder}/ imports only folders in lower layers (see LAYERS): no folder-level cycle can form.`,
  severity: "error",
  from: { path: `^src/${folder}/` },
  to: {
    path: `^src/(${notBelow(folder)
      .filter((name) => name !== folder)
      .join("|")})/`,
    dependencyTypesNot: ["type-only"],
  },
}));

module.exports = {
  forbidden: [
    {
      name: "platform-knows-no-feature",
      comment:
        "platform/ (db, queue, auth, HTTP edge, errors) imports no feature, types included; only i18n's locale list and the config.",
      severity: "error",
      from: { path: "^src/platform/" },
      to: { path: "^src/", pathNot: ["^src/platform/", "^src/i18n/locales\\.ts$", "^src/config\\.ts$"] },
    },
    {
      name: "platform-not-composition",
      comment: "platform/ takes what it needs as PlatformDeps; it never imports deps.ts, app.ts or main.ts.",
      severity: "error",
      from: { path: "^src/platform/" },
      to: { path: "^src/(deps|app|main|jobs|cli)\\.ts$" },
    },
    {
      name: "no-import-cycles",
      comment: "No module imports itself round a loop (run time).",
      severity: "error",
      from: { path: "^src/" },
      to: { circular: true, dependencyTypesNot: ["type-only"], viaOnly: { dependencyTypesNot: ["type-only"] } },
    },
    {
      name: "edge-only",
      comment:
        "Routes and pages are the HTTP edge: only app.ts and other routes or pages import them. Use cases never do.",
      severity: "error",
      from: { path: "^src/", pathNot: ["^src/app\\.ts$", "\\.routes\\.tsx?$", "\\.page\\.tsx$"] },
      to: { path: "(\\.routes\\.tsx?|\\.page\\.tsx)$" },
    },
    {
      name: "recap-audit-is-recaps-own",
      comment:
        "The recap's audit trail (recap_events) is written only by recaps/ (applyRecapAction); others read the history through recaps/recap-history.ts.",
      severity: "error",
      from: { path: "^src/", pathNot: "^src/recaps/" },
      to: { path: "^src/recaps/recap-events\\.schema\\.ts$", dependencyTypesNot: ["type-only"] },
    },
    ...layering,
  ],
  options: {
    // Type-only imports are seen (and marked "type-only") so the rules can tell them apart.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    doNotFollow: { path: "node_modules" },
    exclude: { path: "node_modules" },
  },
};
