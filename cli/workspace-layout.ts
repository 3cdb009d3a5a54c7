// What makes a folder a workspace (cli/workspace.ts), told without loading the importers the workspace loader needs.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const EXPORTS_DIR = 'exports';
export const NATIVE_DIR = 'native';

export const isDir = (path: string): boolean => existsSync(path) && statSync(path).isDirectory();

/** A folder is a workspace when it holds an `exports/` or a `native/` folder. */
export function isWorkspace(path: string): boolean {
  return isDir(path) && (isDir(join(path, EXPORTS_DIR)) || isDir(join(path, NATIVE_DIR)));
}
