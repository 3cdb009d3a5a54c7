// The npm package as a user gets it: `npm pack`, installed offline into a fresh project, then the CLI (version, demo,
// serve with the built UI), the library from plain Node ESM (docs/library.md's example) and from strict TypeScript.
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, tempDir } from '../helpers/cli.ts';
import { libraryReference } from './library-reference.ts';

const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string; dependencies: Record<string, string>; bin: Record<string, string>; license: string; engines: Record<string, string> };
const repoLock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean; link?: boolean }> };

/** What `npm pack` needs to build the package: the sources, the build settings and what the package ships. */
const PACK_INPUTS = ['package.json', 'README.md', 'LICENSE', 'tsconfig.json', 'tsconfig.build.json', 'vite.config.ts', 'scripts/build.mjs', 'bin', 'cli', 'engine', 'importers', 'ui', 'datasets/demo', 'datasets/incidents'];

let root: string;
let app: string;
let packedFiles: string[];

function run(command: string, args: readonly string[], cwd: string, timeout = 300_000): SpawnSyncReturns<string> {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout, env: { ...process.env, NO_COLOR: '1' } });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}\n${result.stdout}\n${result.stderr}`);
  return result;
}

/** The fenced block of `lang` that follows `after` in a Markdown text. */
function fenced(markdown: string, lang: string, after = ''): string {
  const start = markdown.indexOf(after);
  const match = new RegExp('```' + lang + '\\n([\\s\\S]*?)\\n```').exec(markdown.slice(start));
  if (start < 0 || !match) throw new Error(`no \`\`\`${lang} block after ${JSON.stringify(after)}`);
  return match[1]!;
}

beforeAll(() => {
  root = tempDir('blastmap-pack-');
  // Packed from a copy: the build empties dist/, which other tests running alongside serve the UI from.
  const stage = join(root, 'stage');
  for (const input of PACK_INPUTS) cpSync(join(REPO, input), join(stage, input), { recursive: true });
  symlinkSync(realpathSync(join(REPO, 'node_modules')), join(stage, 'node_modules'), 'dir');
  mkdirSync(join(root, 'out'));
  // prepack runs `npm run build`: the test checks the package that `npm publish` would upload.
  const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', join(root, 'out')], stage).stdout.slice(-1e7).replace(/^[^[]*/, '')) as { filename: string; files: { path: string }[] }[];
  const tarball = join(root, 'out', packed[0]!.filename);
  packedFiles = packed[0]!.files.map((file) => file.path);

  // Installed offline. A plain `npm install --offline <tarball>` needs the registry's metadata for each dependency's
  // version range, which `npm ci` never caches (ENOTCACHED in CI); a lockfile pinning the repository's own resolved
  // versions and integrities needs only the tarballs `npm ci` has already put in the npm cache.
  app = join(root, 'app');
  mkdirSync(app);
  const spec = `file:${tarball}`;
  const packages: Record<string, unknown> = {
    '': { name: 'consumer', dependencies: { blastmap: spec } },
    'node_modules/blastmap': { version: manifest.version, resolved: spec, license: manifest.license, dependencies: manifest.dependencies, bin: manifest.bin, engines: manifest.engines },
  };
  for (const [path, entry] of Object.entries(repoLock.packages)) if (path !== '' && !entry.dev && !entry.link) packages[path] = entry;
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module', dependencies: { blastmap: spec } }, null, 2));
  writeFileSync(join(app, 'package-lock.json'), JSON.stringify({ name: 'consumer', lockfileVersion: 3, requires: true, packages }, null, 2));
  run('npm', ['ci', '--offline', '--no-audit', '--no-fund'], app);
}, 600_000);

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('ships the compiled code, the built UI, the demo and the licence, and no TypeScript sources or dev tooling', () => {
    for (const path of ['LICENSE', 'README.md', 'package.json', 'bin/blastmap.js', 'dist/cli/main.js', 'dist/engine/index.js', 'dist/engine/index.d.ts', 'dist/importers/index.d.ts', 'dist/ui/index.html', 'dist/engine/schema/scopes/slack.json', 'datasets/demo/README.md']) {
      expect(packedFiles).toContain(path);
    }
    expect(packedFiles.filter((path) => /\.ts$/.test(path) && !path.endsWith('.d.ts'))).toEqual([]);
    expect(packedFiles.filter((path) => /^(test|scripts|ui|docs)\//.test(path) || path === 'bin/run-ts.js')).toEqual([]);
  });

  it('installs without tsx, esbuild or any install script', () => {
    const installed = JSON.parse(readFileSync(join(app, 'node_modules/.package-lock.json'), 'utf8')) as { packages: Record<string, { hasInstallScript?: boolean }> };
    const names = Object.keys(installed.packages);
    expect(names).toContain('node_modules/blastmap');
    expect(names.filter((path) => /(^|\/)(tsx|esbuild|@esbuild\/[^/]+|typescript|vite)$/.test(path))).toEqual([]);
    expect(Object.entries(installed.packages).filter(([, entry]) => entry.hasInstallScript).map(([path]) => path)).toEqual([]);
  });

  it('`npx blastmap --version` prints the version in package.json, and the full CLI loads without a TypeScript loader', () => {
    expect(run('npx', ['blastmap', '--version'], app).stdout.trim()).toBe(manifest.version);
    const help = run('npx', ['blastmap', '--help'], app).stdout;
    expect(help).toContain('Usage: blastmap');
    expect(help).toContain('respond');
  });

  it('`npx blastmap demo` briefs the demo company', () => {
    const { stdout } = run('npx', ['blastmap', 'demo'], app);
    expect(stdout).toMatch(/^demo: Corvid Labs, \d+ nodes and \d+ edges/);
    expect(stdout).toContain('BLAST RADIUS: Parley Chat (App on parley)');
    expect(stdout).toContain('CROWN JEWELS REACHED');
  });

  it('imports a large NDJSON file on two threads, its worker running the compiled JavaScript', () => {
    run('npx', ['blastmap', 'generate', '--nodes', '3000', '--seed', '7', '--out', 'enterprise.ndjson'], app);
    const imported = (threads: 'one' | 'two'): { nodes: number; edges: number } => {
      const graph = `enterprise-${threads}.bmap`;
      // Thresholds at 0 send even this small file down the streaming path, on one thread or on two.
      const env = { ...process.env, NO_COLOR: '1', BLASTMAP_NDJSON_STREAM_BYTES: '0', BLASTMAP_NDJSON_PARALLEL_BYTES: threads === 'two' ? '0' : '1e15' };
      const result = spawnSync('npx', ['blastmap', 'import', 'native', 'enterprise.ndjson', '--graph', graph, '--format', 'json'], { cwd: app, encoding: 'utf8', env, timeout: 120_000 });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      return JSON.parse(result.stdout) as { nodes: number; edges: number };
    };
    const two = imported('two');
    expect(two.nodes).toBeGreaterThanOrEqual(3000);
    expect({ nodes: two.nodes, edges: two.edges }).toEqual((({ nodes, edges }) => ({ nodes, edges }))(imported('one')));
  });

  it('`npx blastmap serve` answers its health endpoint and serves the built UI on 127.0.0.1', async () => {
    // Its own process group, so stopping it stops npx and the node process npx started.
    const child = spawn('npx', ['blastmap', 'serve', '--graph', 'node_modules/blastmap/datasets/demo', '--port', '0'], { cwd: app, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    try {
      let output = '';
      const url = await new Promise<string>((resolve, reject) => {
        const onData = (chunk: Buffer) => {
          output += chunk.toString();
          const found = /blastmap UI: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output);
          if (found) resolve(found[1]!);
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        child.once('exit', (code) => reject(new Error(`serve exited ${code} before listening:\n${output}`)));
      });
      const health = await fetch(`${url}api/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok', version: manifest.version });
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(await page.text()).toBe(readFileSync(join(app, 'node_modules/blastmap/dist/ui/index.html'), 'utf8'));
    } finally {
      if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
    }
  });

  it('docs/library.md\'s example runs in plain Node ESM and prints the output the page shows', () => {
    const page = readFileSync(join(REPO, 'docs/library.md'), 'utf8');
    writeFileSync(join(app, 'example.mjs'), `${fenced(page, 'js', '## Example')}\n`);
    const { stdout } = run(process.execPath, ['example.mjs'], app);
    expect(stdout.trimEnd()).toBe(fenced(page, 'text', 'Output:'));
  });

  it('exports from each entry point exactly the values docs/library.md lists', () => {
    const reference = libraryReference();
    const entries = [...reference.keys()];
    writeFileSync(join(app, 'surface.mjs'), [
      `const entries = ${JSON.stringify(entries)};`,
      'const surface = {};',
      'for (const entry of entries) surface[entry] = Object.keys(await import(entry)).sort();',
      'console.log(JSON.stringify(surface));',
      '',
    ].join('\n'));
    const surface = JSON.parse(run(process.execPath, ['surface.mjs'], app).stdout) as Record<string, string[]>;
    expect(Object.keys(surface).sort()).toEqual(['blastmap', 'blastmap/engine', 'blastmap/importers']);
    for (const entry of entries) expect(surface[entry], entry).toEqual([...reference.get(entry)!.values].sort());
  });

  it('a strict TypeScript consumer compiles with tsc (NodeNext, emitting) and its output runs', () => {
    const consumer = join(app, 'ts');
    mkdirSync(join(consumer, 'src'), { recursive: true });
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ type: 'module' }));
    writeFileSync(join(consumer, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noUncheckedIndexedAccess: true, outDir: 'out', rootDir: 'src', declaration: true, types: [] },
      include: ['src'],
    }));
    writeFileSync(join(consumer, 'src/radius.ts'), [
      "import { blastRadius, renderRadiusText, resolveNode, type BlastRadius, type CompactGraph } from 'blastmap';",
      "import { rankGraph } from 'blastmap/engine';",
      "import { graphFromNative, importExport, IMPORTERS, type SourcedFragment } from 'blastmap/importers';",
      '',
      'const graph: CompactGraph = graphFromNative({',
      "  'inventory.yaml': [",
      "    'version: 1',",
      "    'nodes:',",
      "    '  - { nativeId: ci, kind: App, name: CI bot, platform: github, tenant: acme }',",
      "    '  - { nativeId: repo, kind: Resource, resourceType: repository, name: payments, platform: github, tenant: acme, tags: [crown-jewel] }',",
      "    'edges:',",
      "    '  - { kind: CAN_WRITE, from: \"github:acme:app:ci\", to: \"github:acme:resource:repo\" }',",
      "  ].join('\\n'),",
      '});',
      "const radius: BlastRadius = blastRadius(graph, [resolveNode(graph, 'CI bot')], { at: '2026-12-01T00:00:00Z' });",
      'const importers: string[] = IMPORTERS.map((importer) => importer.source);',
      "const run: (files: { path: string; data: unknown }[]) => SourcedFragment = (files) => importExport('slack', files).sourced;",
      "console.log(radius.reachedCount, radius.crownJewels.map((entry) => entry.name).join(','), rankGraph(graph).entries.length > 0, importers.includes('okta'), typeof run);",
      "console.log(renderRadiusText(radius).split('\\n')[0]);",
      '',
    ].join('\n'));
    // Every type docs/library.md lists, imported from the entry point that lists it.
    const reference = libraryReference();
    for (const entry of ['blastmap', 'blastmap/importers']) {
      writeFileSync(join(consumer, `src/types-${entry.replace('/', '-')}.ts`), `export type { ${reference.get(entry)!.types.join(', ')} } from '${entry}';\n`);
    }
    const compiled = spawnSync(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: consumer, encoding: 'utf8', timeout: 120_000 });
    expect(compiled.stdout + compiled.stderr).toBe('');
    expect(compiled.status).toBe(0);
    const { stdout } = run(process.execPath, ['out/radius.js'], consumer);
    expect(stdout).toBe('1 payments true true function\nBLAST RADIUS: CI bot (App on github)\n');
    // A bundler-resolving project (vite, esbuild, webpack) finds the same declarations through `exports`.
    writeFileSync(join(consumer, 'tsconfig.bundler.json'), JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'preserve', moduleResolution: 'bundler', strict: true, noEmit: true, types: [] },
      include: ['src'],
    }));
    const bundler = spawnSync(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.bundler.json'], { cwd: consumer, encoding: 'utf8', timeout: 120_000 });
    expect(bundler.stdout + bundler.stderr).toBe('');
  });
});
