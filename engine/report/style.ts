// Styling hooks for text reports: the CLI passes terminal colours, everything else gets plain text.
import type { Level } from '../schema/index.ts';
import type { PathStepView } from '../analysis/radius.ts';

export interface TextStyle {
  bold: (s: string) => string;
  dim: (s: string) => string;
  red: (s: string) => string;
  yellow: (s: string) => string;
  cyan: (s: string) => string;
  green: (s: string) => string;
}

const same = (s: string): string => s;
export const PLAIN: TextStyle = { bold: same, dim: same, red: same, yellow: same, cyan: same, green: same };

export function levelLabel(level: Level, style: TextStyle = PLAIN): string {
  const text = level.toUpperCase().padEnd(5);
  return level === 'admin' ? style.red(text) : level === 'write' ? style.yellow(text) : style.cyan(text);
}

export const plural = (n: number, word: string, many = `${word}s`): string => `${n} ${n === 1 ? word : many}`;

/** One path as `A -HOLDS-> B -CAN_READ [api]-> C`. */
export function pathText(path: readonly PathStepView[], style: TextStyle = PLAIN): string {
  if (path.length === 0) return '(source)';
  const parts = [style.bold(path[0]!.from.name)];
  for (const step of path) {
    const scopes = step.scopes && step.scopes.length > 0 ? ` [${step.scopes.slice(0, 3).join(' ')}${step.scopes.length > 3 ? ' ...' : ''}]` : '';
    parts.push(style.dim(` -${step.kind}${scopes}-> `), step.to.name);
  }
  return parts.join('');
}

/** The credentials a path goes through: what an incident commander revokes. */
export function credentialChain(path: readonly PathStepView[]): string[] {
  const names: string[] = [];
  for (const step of path) if (step.to.kind === 'Credential') names.push(step.to.name);
  if (path[0]?.from.kind === 'Credential') names.unshift(path[0].from.name);
  return names;
}

export const shortDate = (iso: string): string => iso.replace(/:\d\d(\.\d+)?Z$/, 'Z').replace('T', ' ');
