// Command-line conventions: `-` for standard input, errors as JSON under `--format json`, parsing errors that never
// echo a typed value or a control character, and shell completion scripts generated from the commands.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { asksForJson } from '../../cli/main.ts';
import { BIN, REPO, runCli, tempDir } from '../helpers/cli.ts';

const EXAMPLE = join(REPO, 'datasets/examples/scoped-delegation.yaml');
const SERVICE_ACCOUNT = 'reporting service account';

/** bin/blastmap.js with `input` on its standard input. */
function withStdin(args: readonly string[], input: string): { code: number; out: string; err: string } {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: REPO, input, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status ?? -1, out: result.stdout, err: result.stderr };
}

describe('standard input', () => {
  it('`--graph -` reads a native inventory from standard input, as the file would be read', async () => {
    const piped = withStdin(['radius', SERVICE_ACCOUNT, '--graph', '-', '--at', '2026-12-01', '--format', 'json'], readFileSync(EXAMPLE, 'utf8'));
    const fromFile = await runCli(['radius', SERVICE_ACCOUNT, '--graph', EXAMPLE, '--at', '2026-12-01', '--format', 'json']);
    expect(piped.err).toBe('');
    expect(piped.code).toBe(0);
    expect(JSON.parse(piped.out)).toEqual(JSON.parse(fromFile.out));
  });

  it('`import native -` imports standard input into the snapshot', async () => {
    const graph = join(tempDir(), 'graph.bmap');
    const imported = withStdin(['import', 'native', '-', '--graph', graph], readFileSync(EXAMPLE, 'utf8'));
    expect(imported.code).toBe(0);
    const radius = await runCli(['radius', SERVICE_ACCOUNT, '--graph', graph, '--at', '2026-12-01']);
    expect(radius.code).toBe(0);
    expect(radius.out).toContain('Drive of ceo@acme.com');
  });

  it('a syntax error on standard input names <stdin>, the parser\'s reason, line and column, once', () => {
    const fenced = `\`\`\`yaml\n${readFileSync(EXAMPLE, 'utf8')}\`\`\`\n`;
    const result = withStdin(['radius', SERVICE_ACCOUNT, '--graph', '-'], fenced);
    expect(result.code).toBe(3);
    const lines = result.err.trimEnd().split('\n');
    expect(lines).toEqual(['error: 1 problem in the input; nothing was imported', expect.stringMatching(/^ {2}<stdin> \$ \(line 1, column 1\): not valid YAML: \S/)]);
  });
});

describe('JSON syntax errors in the other JSON inputs', () => {
  // An unquoted token on line 2: V8's message would quote the text around it, a pasted secret with it.
  const secret = ['xo', 'xb-1234567890-1234567890123-', 'abcdefghijklmnopqrstuvwx'].join('');
  const broken = `{"nodes": {\n  "Okta_EventHook": ${secret} }\n}\n`;
  const noExcerpt = (err: string) => { expect(err).not.toContain(secret.slice(0, 8)); expect(err).not.toContain('is not valid JSON'); };

  it('an OpenGraph --mapping names the parser\'s reason, line and column, and quotes nothing', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'mapping.json'), broken);
    const run = await runCli(['import', 'opengraph', join(REPO, 'test/fixtures/opengraph/okta.json'), '--mapping', join(dir, 'mapping.json'), '--graph', join(dir, 'g.bmap')]);
    expect(run.code).toBe(3);
    expect(run.err).toContain("mapping.json $ (line 2, column 21): not valid JSON: unexpected token 'x'");
    noExcerpt(run.err);
  });

  it('a workspace\'s mapping and an incident\'s expected.json do the same', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'ws/exports/opengraph'), { recursive: true });
    writeFileSync(join(dir, 'ws/exports/opengraph/okta.json'), readFileSync(join(REPO, 'test/fixtures/opengraph/okta.json')));
    writeFileSync(join(dir, 'ws/blastmap.yaml'), 'exports:\n  opengraph:\n    mapping: mapping.json\n');
    writeFileSync(join(dir, 'ws/mapping.json'), broken);
    const workspace = await runCli(['rank', '--graph', join(dir, 'ws')]);
    expect(workspace.code).toBe(3);
    expect(workspace.err).toContain("mapping.json $ (line 2, column 21): not valid JSON: unexpected token 'x'");
    noExcerpt(workspace.err);
    cpSync(join(REPO, 'datasets/incidents/circleci-2023'), join(dir, 'incidents/circleci-2023'), { recursive: true });
    writeFileSync(join(dir, 'incidents/circleci-2023/expected.json'), broken);
    const replay = await runCli(['replay', 'circleci-2023', '--dir', join(dir, 'incidents')]);
    expect(replay.code).toBe(3);
    expect(replay.err).toMatch(/expected\.json \$ \(line 2, column 21\): not valid JSON: unexpected token 'x'/);
    noExcerpt(replay.err);
  });
});

describe('errors under --format json', () => {
  it('are one JSON object on stderr with code, message, file, path, line and column', async () => {
    const bad = join(tempDir(), 'bad.json');
    writeFileSync(bad, '{"version": 1,\n  "nodes": [,]}');
    const result = await runCli(['radius', 'x', '--graph', bad, '--format', 'json']);
    expect(result.code).toBe(3);
    expect(result.out).toBe('');
    expect(result.err.trimEnd().split('\n')).toHaveLength(1);
    expect(JSON.parse(result.err)).toEqual({
      code: 'INVALID_INPUT', message: '1 problem in the input; nothing was imported', file: bad.startsWith(REPO) ? bad.slice(REPO.length + 1) : bad, path: '$', line: 2, column: 13,
      issues: [expect.objectContaining({ path: '$', line: 2, column: 13, message: "not valid JSON: unexpected token ','" })], candidates: [],
    });
  });

  it('give the code of an unknown node with its closest candidates, and of a usage error', async () => {
    const unknown = await runCli(['radius', 'reporting service acount', '--graph', EXAMPLE, '--format=json']);
    expect(unknown.code).toBe(4);
    expect(JSON.parse(unknown.err)).toMatchObject({ code: 'UNKNOWN_NODE', file: null, path: null, line: null, candidates: expect.arrayContaining([expect.stringContaining(SERVICE_ACCOUNT)]) });
    const usage = await runCli(['radius', SERVICE_ACCOUNT, '-f', 'json', '--no-such-flag']);
    expect(usage.code).toBe(2);
    expect(JSON.parse(usage.err)).toEqual({ code: 'USAGE', message: "unknown option '--no-such-flag'", file: null, path: null, line: null, column: null, issues: [], candidates: [] });
  });

  it('are asked for by --format json in any spelling, before `--` only', () => {
    expect(asksForJson(['radius', 'x', '--format', 'json'])).toBe(true);
    expect(asksForJson(['radius', 'x', '--format=json'])).toBe(true);
    expect(asksForJson(['radius', 'x', '-f', 'json'])).toBe(true);
    expect(asksForJson(['radius', 'x', '-fjson'])).toBe(true);
    expect(asksForJson(['radius', 'x', '--format', 'text'])).toBe(false);
    expect(asksForJson(['radius', '--', '--format', 'json'])).toBe(false);
  });
});

describe('parsing errors', () => {
  it('name a mistyped option without the value typed after it', async () => {
    const secret = ['Tr0ub4dor', '3xample', 'Passw0rd'].join('-');
    const result = await runCli(['radius', 'x', `--neo4j-pasword=${secret}`]);
    expect(result.code).toBe(2);
    expect(result.err).toBe("error: unknown option '--neo4j-pasword'\n(run with --help for usage)\n");
    expect(result.err).not.toContain(secret);
  });

  it('never pass a control character of an unknown command or option to the terminal', async () => {
    for (const args of [['rad\u001b[2J\u0007ius'], ['radius', 'x', '--fo\u001b]0;owned\u0007rmat']]) {
      const result = await runCli(args);
      expect(result.code).toBe(2);
      expect(result.err).toMatch(/^error: unknown (command|option) '/);
      // eslint-disable-next-line no-control-regex
      expect(result.err).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    }
  });

  it('still suggest the command that was meant', async () => {
    const result = await runCli(['radus']);
    expect(result.err).toContain("unknown command 'radus'");
    expect(result.err).toContain('(Did you mean radius?)');
  });
});

describe('blastmap completion', () => {
  it('writes a bash script that completes commands, subcommands and each command\'s options', async () => {
    const { out, code } = await runCli(['completion', 'bash']);
    expect(code).toBe(0);
    const script = join(tempDir(), 'blastmap.bash');
    writeFileSync(script, out);
    const complete = (words: string[]): string[] => {
      const shell = `source ${JSON.stringify(script)}; COMP_WORDS=(${words.map((w) => JSON.stringify(w)).join(' ')}); COMP_CWORD=${words.length - 1}; _blastmap; printf '%s\\n' "\${COMPREPLY[@]}"`;
      const result = spawnSync('bash', ['-c', shell], { encoding: 'utf8' });
      expect(result.stderr).toBe('');
      return result.stdout.split('\n').filter(Boolean).sort();
    };
    expect(complete(['blastmap', 'ra'])).toEqual(['radius', 'rank']);
    expect(complete(['blastmap', 'radius', '--for'])).toEqual(['--format']);
    expect(complete(['blastmap', 'import', 'o'])).toEqual(['okta', 'opengraph']);
    expect(complete(['blastmap', 'import', 'okta', '--ten'])).toEqual(['--tenant']);
    expect(complete(['blastmap', 'neo4j', 'p'])).toEqual(['pull', 'push']);
    expect(complete(['blastmap', 'radius', '--stor'])).toEqual(['--store']);
  });

  it('writes zsh (through bashcompinit) and fish scripts naming every command, and refuses other shells', async () => {
    const zsh = await runCli(['completion', 'zsh']);
    expect(zsh.out).toContain('bashcompinit');
    expect(zsh.out).toContain('complete -o filenames -F _blastmap blastmap');
    const fish = await runCli(['completion', 'fish']);
    for (const command of ['radius', 'plan', 'respond', 'serve', 'completion']) expect(fish.out).toContain(`-a ${command} -d '`);
    expect(fish.out).toContain('-l format');
    const tcsh = await runCli(['completion', 'tcsh']);
    expect(tcsh.code).toBe(2);
    expect(tcsh.err).toContain('expected one of bash, zsh, fish');
  });
});
