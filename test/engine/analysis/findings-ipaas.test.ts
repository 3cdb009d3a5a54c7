// The integration-platform rules (issue #24) on the n8n importer's real fixture and on variations of it: a
// workflow that changes identity state, one that writes HR and provisions from it, a connection shared across
// owners, and an instance holding connections to many systems; each also shown quiet where it must be.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRawFiles } from '../../../cli/commands/import.ts';
import { governanceFindings } from '../../../engine/analysis/findings.ts';
import { RULES_BY_ID } from '../../../engine/analysis/findings-catalog.ts';
import { buildGraph } from '../../../engine/store/compact.ts';
import type { RawFile } from '../../../importers/common/records.ts';
import { n8nImporter } from '../../../importers/n8n/index.ts';
import { REPO } from '../../helpers/cli.ts';

const AT = '2026-12-01';
const INSTANCE = '8a1c4e9f2b7d3a6c5e0f1b2d4c6e8a0f9b3d5c7e1a2f4b6d8c0e2a4f6b8d0c2e';
const n = (kind: string, native: string): string => `n8n:${INSTANCE}:${kind}:${native}`;
const RULES = ['BM-GOV-IDENTITY-CONTROL-PLANE', 'BM-GOV-SEGREGATION-OF-DUTIES', 'BM-GOV-SHARED-CONNECTION', 'BM-GOV-CONNECTION-CONCENTRATION'];

const fixtureFiles = (): RawFile[] => readRawFiles([join(REPO, 'test/fixtures/n8n/acme')]);
function findingsOf(files: readonly RawFile[]) {
  const result = n8nImporter.transform(files, {});
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return governanceFindings(buildGraph(result.fragment), { at: AT, ruleIds: RULES });
}
/** The fixture with its workflows edited by `edit` (the parsed workflows.json's data array). */
function editedWorkflows(edit: (workflows: Record<string, unknown>[]) => void): RawFile[] {
  return fixtureFiles().map((file) => {
    if (!file.path.endsWith('workflows.json')) return file;
    const document = JSON.parse(file.text) as { data: Record<string, unknown>[] };
    edit(document.data);
    return { ...file, text: JSON.stringify(document) };
  });
}
const keys = (findings: ReturnType<typeof findingsOf>) => findings.map((f) => `${f.ruleId} ${f.severity} ${f.nodeId}`).sort();

describe('the rules are catalogued with OWASP NHI 2025 and NIST CSF 2.0 references', () => {
  it.each(RULES)('%s', (id) => {
    const rule = RULES_BY_ID.get(id)!;
    expect(rule.references.owaspNhi.length).toBeGreaterThan(0);
    expect(rule.references.nistCsf.length).toBeGreaterThan(0);
  });
});

describe('on the n8n fixture', () => {
  it('finds the identity-changing workflows (critical behind a public webhook), the HR-and-provisioning one, the shared Slack connection and the concentrated instance', () => {
    expect(keys(findingsOf(fixtureFiles()))).toEqual([
      `BM-GOV-CONNECTION-CONCENTRATION high ${n('platform', 'instance')}`,
      `BM-GOV-IDENTITY-CONTROL-PLANE critical ${n('app', 'workflow/7QwErTyUiOp4AsDf')}`,
      `BM-GOV-IDENTITY-CONTROL-PLANE high ${n('app', 'workflow/2tUt1wbLX592XDdX')}`,
      `BM-GOV-SEGREGATION-OF-DUTIES high ${n('app', 'workflow/7QwErTyUiOp4AsDf')}`,
      `BM-GOV-SHARED-CONNECTION medium ${n('credential', 'Sl4ckB0tN0tif1er')}`,
    ]);
  });

  it('the evidence names the actions, the credentials held, who can edit, the owners and the systems', () => {
    const findings = findingsOf(fixtureFiles());
    const onboarding = findings.find((f) => f.ruleId === 'BM-GOV-IDENTITY-CONTROL-PLANE' && f.severity === 'high')!;
    expect(onboarding.evidence.summary).toContain('entra user:addGroup, okta user:create');
    expect(onboarding.evidence.related.filter((r) => r.relation === 'can edit').map((r) => r.name).sort()).toEqual(['Alice Ng', 'Bob Ruiz', 'dave.okafor@acme.example']);
    expect(onboarding.evidence.related.filter((r) => r.relation === 'holds')).toHaveLength(4);
    const shared = findings.find((f) => f.ruleId === 'BM-GOV-SHARED-CONNECTION')!;
    expect(shared.evidence.summary).toContain('2 owners (n8n project People Ops, n8n project Sales Ops)');
    const concentration = findings.find((f) => f.ruleId === 'BM-GOV-CONNECTION-CONCENTRATION')!;
    expect(concentration.evidence.summary).toContain('5 systems (bamboohr, entra, okta, salesforce, slack)');
    expect(concentration.console).toContain('n8n → Settings → Users');
  });
});

describe('quiet where they must be', () => {
  it('no identity actions (reads only), no HR write, and a connection used by one owner raise nothing', () => {
    const files = editedWorkflows((workflows) => {
      for (const workflow of workflows) {
        for (const node of workflow.nodes as { parameters?: Record<string, unknown> }[]) {
          if (node.parameters && typeof node.parameters.operation === 'string') node.parameters.operation = 'get';
        }
      }
      workflows.pop(); // the Sales Ops workflow: Slack is then used by People Ops only
    });
    expect(keys(findingsOf(files))).toEqual([`BM-GOV-CONNECTION-CONCENTRATION high ${n('platform', 'instance')}`]);
  });

  it('a disabled node does not count; an instance with connections to three systems is not concentrated', () => {
    const files = editedWorkflows((workflows) => {
      for (const workflow of workflows) for (const node of workflow.nodes as { type: string; disabled?: boolean }[]) if (node.type.endsWith('.okta')) node.disabled = true;
    }).map((file) => {
      if (!file.path.endsWith('credentials.json')) return file;
      const document = JSON.parse(file.text) as { data: { type: string }[] };
      document.data = document.data.filter((c) => c.type !== 'salesforceOAuth2Api' && c.type !== 'bambooHrApi');
      return { ...file, text: JSON.stringify(document) };
    });
    const found = findingsOf(files);
    const onboarding = found.find((f) => f.nodeId === n('app', 'workflow/2tUt1wbLX592XDdX'))!;
    expect(onboarding.evidence.summary).not.toContain('okta');
    // The workflows still use Salesforce and BambooHR credentials (now known only from the nodes): still held by the instance.
    expect(found.some((f) => f.ruleId === 'BM-GOV-CONNECTION-CONCENTRATION')).toBe(true);
    const fewer = editedWorkflows((workflows) => { workflows.splice(0, workflows.length, workflows[0]!); for (const node of workflows[0]!.nodes as { credentials?: Record<string, unknown> }[]) delete node.credentials?.bambooHrApi; })
      .map((file) => (file.path.endsWith('credentials.json') ? { ...file, text: JSON.stringify({ data: (JSON.parse(file.text) as { data: { type: string }[] }).data.filter((c) => !['salesforceOAuth2Api', 'bambooHrApi'].includes(c.type)) }) } : file));
    expect(findingsOf(fewer).some((f) => f.ruleId === 'BM-GOV-CONNECTION-CONCENTRATION')).toBe(false);
  });
});
