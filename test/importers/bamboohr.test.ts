// The BambooHR importer: the employee directory ({fields, employees[...]}) and the users with login access (an object
// keyed by user id), as BambooHR's API reference shows them, become the HR source of truth: sensitive employee
// records, accounts, and the integration accounts (no employee) whose API keys iPaaS connections hold.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRawFiles } from '../../cli/commands/import.ts';
import { reach } from '../../engine/analysis/reach.ts';
import { assembleGraph } from '../../engine/store/assemble.ts';
import { bamboohrImporter } from '../../importers/bamboohr/index.ts';
import { importExport } from '../../importers/index.ts';
import { findImporter } from '../../importers/registry.ts';
import { importerFixture, nodeOf } from '../helpers/importer-fixture.ts';
import { REPO } from '../helpers/cli.ts';

const FIXTURE = join(REPO, 'test/fixtures/bamboohr/initech');
const h = (kind: string, native: string): string => `bamboohr:initech.example:${kind}:${native}`;
const RECORDS = h('resource', 'employee-records');

const { run, imported, fixtureFiles, fixture } = importerFixture(bamboohrImporter, FIXTURE);
const node = nodeOf;

describe('the BambooHR importer', () => {
  it('is registered; reads the directory and the users; the company is the email domain the accounts share', () => {
    expect(findImporter('bamboohr')).toBe(bamboohrImporter);
    const { fragment, report } = fixture();
    expect(report.records).toEqual({ directory: 3, users: 4 });
    expect(node(fragment, RECORDS)).toMatchObject({ tags: ['pii'], sensitivity: 8, properties: { employees: 3 } });
    expect(imported(readRawFiles([FIXTURE]), { tenant: 'initech' }).fragment.nodes.some((n) => n.id === 'bamboohr:initech:platform:company')).toBe(true);
  });

  it('users carry their employee\'s job; a disabled user is disabled; a user tied to no employee is an integration account assumed to administer the records', () => {
    const { fragment, report } = fixture();
    expect(node(fragment, h('identity', '2'))).toMatchObject({ subtype: 'human', email: 'joanna@initech.example', properties: { jobTitle: 'HR Generalist', department: 'People', lastLogin: '2026-12-01T08:00:00.000Z' } });
    expect(node(fragment, h('identity', '3')).enabled).toBe(false);
    expect(node(fragment, h('identity', '7'))).toMatchObject({ subtype: 'service', email: 'api-integration@initech.example' });
    const admin = fragment.edges.filter((e) => e.to === RECORDS && e.kind === 'CAN_ADMIN');
    expect(admin.map((e) => `${e.from} ${e.assumed}`)).toEqual([`${h('identity', '7')} true`]);
    expect(report.notes.join('\n')).toContain('access levels are not in the BambooHR API');
  });

  it('a Make connection that signs in as the integration account reaches the employee records once both are imported', () => {
    const make = importExport('make', readRawFiles([join(REPO, 'test/fixtures/make/initech')]));
    const hr = importExport(bamboohrImporter, readRawFiles([FIXTURE]));
    const { graph } = assembleGraph([make.sourced, hr.sourced]);
    const result = reach(graph, [graph.indexOf.get('make:1177:app:scenario/925')!]);
    expect(result.level[graph.indexOf.get(RECORDS)!]).toBe(3);
  });

  it('refuses users that are not an object by id, accounts of several domains without --tenant, and a bad date', () => {
    expect(!run([{ path: 'users.json', text: '[]' }], { tenant: 'x' }).ok).toBe(true);
    const mixed = [{ path: 'users.json', text: JSON.stringify({ 1: { id: 1, email: 'a@one.example' }, 2: { id: 2, email: 'b@two.example' } }) }];
    expect(!run(mixed).ok && (run(mixed) as { issues: { message: string }[] }).issues[0]!.message).toBe('no BambooHR company');
    const bad = [{ path: 'users.json', text: JSON.stringify({ 1: { id: 1, email: 'a@one.example', lastLogin: '2025-02-30T00:00:00Z' } }) }];
    const result = run(bad);
    expect(!result.ok && result.issues[0]).toMatchObject({ file: 'users.json', path: '$["1"].lastLogin' });
    expect(imported(bad, { lenient: true, tenant: 'one' }).report.skipped).toHaveLength(1);
  });
});

describe('input amplification: the tenant is part of every node id', () => {
  it('an email longer than an address can be is refused with file and JSON path: its domain would be the company in every node id', () => {
    const result = run(fixtureFiles().map((f) => ({ ...f, text: f.text.replaceAll('initech.example', `${'i'.repeat(100_000)}.example`) })));
    expect(!result.ok && result.issues[0]).toMatchObject({ file: 'directory.json', path: '$.employees[0].workEmail', expected: 'at most 320 characters' });
  });
});
