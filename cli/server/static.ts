// The built web UI as a fixed table of files read once at startup: a request can only ever name one of
// these entries, so no request path is joined onto the file system and nothing outside the folder is served.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';

export interface StaticFile {
  body: Uint8Array;
  type: string;
  /** Hashed assets never change under their name; the page itself is revalidated. */
  immutable: boolean;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

const MAX_FILES = 500;

/** url path (`/index.html`, `/assets/x.js`) → file; `/` maps to `/index.html`. Symlinks and dotfiles are skipped. */
export function loadStaticFiles(root: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.') || entry.isSymbolicLink()) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) {
        const type = TYPES[extname(entry.name).toLowerCase()];
        if (!type) continue;
        if (files.size >= MAX_FILES) throw new Error(`${root}: more than ${MAX_FILES} files; is this the built UI folder?`);
        const url = `/${relative(root, path).split(sep).join('/')}`;
        files.set(url, { body: readFileSync(path), type, immutable: url.startsWith('/assets/') });
      }
    }
  };
  if (existsSync(root) && statSync(root).isDirectory()) walk(root);
  const index = files.get('/index.html');
  if (index) files.set('/', index);
  return files;
}
