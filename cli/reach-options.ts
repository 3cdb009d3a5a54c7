// The analysis options every traversal command shares (--at, --max-depth, edge filters, controls).
import type { Command } from 'commander';
import type { ReachOptions } from '../engine/analysis/reach.ts';
import { parseAt, parseCount } from './context.ts';

export interface ReachFlags {
  at?: string;
  maxDepth?: string;
  edgeKinds?: string;
  excludeEdgeKinds?: string;
  enforce?: string;
}

const list = (value: string | undefined): string[] | undefined =>
  value === undefined ? undefined : value.split(',').map((item) => item.trim()).filter(Boolean);

export function addReachOptions(command: Command): Command {
  return command
    .option('--at <date>', 'analysis instant (ISO-8601); credentials revoked or expired before it do not count (default now)')
    .option('--max-depth <hops>', 'stop after this many hops')
    .option('--edge-kinds <kinds>', 'only traverse these edge kinds (comma-separated)')
    .option('--exclude-edge-kinds <kinds>', 'never traverse these edge kinds (comma-separated)')
    .option('--enforce <conditions>', 'treat edges carrying these conditions as blocked, e.g. ip-allowlist,mfa');
}

export function toReachOptions(flags: ReachFlags): ReachOptions {
  const options: ReachOptions = {};
  const at = parseAt(flags.at);
  if (at) options.at = at;
  const maxDepth = parseCount('--max-depth', flags.maxDepth);
  if (maxDepth !== undefined) options.maxDepth = maxDepth;
  const edgeKinds = list(flags.edgeKinds);
  if (edgeKinds) options.edgeKinds = edgeKinds;
  const exclude = list(flags.excludeEdgeKinds);
  if (exclude) options.excludeEdgeKinds = exclude;
  const enforce = list(flags.enforce);
  if (enforce) options.enforceConditions = enforce;
  return options;
}
