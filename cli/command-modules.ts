// Which module registers each of blastmap's commands, loaded only when that command runs: loading every command's
// module (the importers' schemas, the scope catalogues, the engine) cost half a second at every start. The order is
// the order of `blastmap --help`; cli/command-manifest.ts holds what that help says of each command without loading
// any of them (written by `npm run docs`, checked by test/cli/lazy-commands.test.ts).
import type { Command } from 'commander';
import type { Io } from './context.ts';

export type Register = (program: Command, io: Io) => void;

export const COMMAND_MODULES: Readonly<Record<string, () => Promise<readonly Register[]>>> = {
  // `import opengraph` is a subcommand of `import` registered by its own module; `import logs` by import.ts.
  import: async () => {
    const [main, opengraph] = await Promise.all([import('./commands/import.ts'), import('./commands/import-opengraph.ts')]);
    return [main.registerImport, opengraph.registerImportOpenGraph];
  },
  collect: async () => [(await import('./commands/collect.ts')).registerCollect],
  export: async () => [(await import('./commands/export.ts')).registerExport],
  radius: async () => [(await import('./commands/radius.ts')).registerRadius],
  demo: async () => [(await import('./commands/demo.ts')).registerDemo],
  schema: async () => [(await import('./commands/schema.ts')).registerSchema],
  paths: async () => [(await import('./commands/paths.ts')).registerPaths],
  plan: async () => [(await import('./commands/plan.ts')).registerPlan],
  respond: async () => [(await import('./commands/respond.ts')).registerRespond],
  whatif: async () => [(await import('./commands/whatif.ts')).registerWhatIf],
  exposure: async () => [(await import('./commands/exposure.ts')).registerExposure],
  rank: async () => [(await import('./commands/rank.ts')).registerRank],
  findings: async () => [(await import('./commands/findings.ts')).registerFindings],
  review: async () => [(await import('./commands/review.ts')).registerReview],
  serve: async () => [(await import('./commands/serve.ts')).registerServe],
  neo4j: async () => [(await import('./commands/neo4j.ts')).registerNeo4j],
  generate: async () => [(await import('./commands/generate.ts')).registerGenerate],
  replay: async () => [(await import('./commands/replay.ts')).registerReplay],
  diff: async () => [(await import('./commands/diff.ts')).registerDiff],
  history: async () => [(await import('./commands/history.ts')).registerHistory],
  verify: async () => [(await import('./commands/verify.ts')).registerVerify],
  completion: async () => [(await import('./commands/completion.ts')).registerCompletion],
};

export const COMMAND_NAMES: readonly string[] = Object.keys(COMMAND_MODULES);
