// What the collectors' tests compare: the files a collection wrote, and the graph of a workspace (node ids, edge
// keys), against the graph of the same fixture folder imported directly.
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { toFragment } from '../../engine/store/compact.ts';
import { loadWorkspace } from '../../cli/workspace.ts';
import { tempDir } from './cli.ts';

/** Every file under `dir`, relative to it, sorted (with `/` separators). */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(relative(dir, full).split('\\').join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

/** A fixture folder as path without `.json` -> parsed JSON. */
export function jsonFiles(dir: string): Map<string, unknown> {
  const records = new Map<string, unknown>();
  for (const file of filesUnder(dir)) if (file.endsWith('.json')) records.set(file.replace(/\.json$/, ''), JSON.parse(readFileSync(join(dir, file), 'utf8')));
  return records;
}

export interface WorkspaceGraph { nodes: string[]; edges: string[] }

/** The graph a workspace imports into: node ids and `KIND from -> to` edge keys, sorted. */
export function workspaceGraph(ws: string): WorkspaceGraph {
  const fragment = toFragment(loadWorkspace(ws).graph);
  return { nodes: fragment.nodes.map((n) => n.id).sort(), edges: fragment.edges.map((e) => `${e.kind} ${e.from} -> ${e.to}`).sort() };
}

/**
 * The graph of `fixture` imported directly as `exports/<source>/<tenant>/`, after `change` edits the copy (removes
 * what failed endpoints did not give, plants what the server planted).
 */
export function fixtureGraph(fixture: string, source: string, tenant: string, change: (copy: string) => void = () => {}): WorkspaceGraph {
  const ws = tempDir('blastmap-collect-expected-');
  try {
    const copy = join(ws, 'exports', source, tenant);
    mkdirSync(copy, { recursive: true });
    cpSync(fixture, copy, { recursive: true });
    change(copy);
    return workspaceGraph(ws);
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
}
