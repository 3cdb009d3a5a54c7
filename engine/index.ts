// blastmap's library API: the same functions the CLI, the server and the UI call.
export * from './errors.ts';
export * from './schema/index.ts';
export * from './secrets.ts';
export * from './format/native.ts';
export * from './format/validate.ts';
export * from './store/compact.ts';
export * from './store/assemble.ts';
export * from './store/lookup.ts';
export * from './store/memory.ts';
export * from './store/snapshot.ts';
export type * from './store/types.ts';
export * from './analysis/reach.ts';
export * from './analysis/radius.ts';
export * from './analysis/score.ts';
export * from './analysis/rank.ts';
export * from './analysis/frontier-reach.ts';
