// The containment plan: scenario graphs whose harvest, vendor kill, rotations and hunts are known by construction,
// and random graphs against a brute-force harvest and the naive reach fixpoint of test/helpers/oracle.ts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { revocationPlan } from '../../../engine/analysis/plan.ts';
import { cutText } from '../../../engine/report/plan.ts';
import { blastRadius } from '../../../engine/analysis/radius.ts';
import { borrowSlotIndex, extendLevels, overlayOfSteps, respondPlan, returnSlotIndex, scoreWithout, type ResponsePlan } from '../../../engine/analysis/respond.ts';
import { indexStates, reach } from '../../../engine/analysis/reach.ts';
import { nodePoints, scoreOrder } from '../../../engine/analysis/score.ts';
import { whatIf } from '../../../engine/analysis/whatif.ts';
import { EDGE_ACTIONS, isCuttable } from '../../../engine/schema/index.ts';
import { buildGraph, edgeIdAt, type CompactGraph } from '../../../engine/store/compact.ts';
import { AT } from '../../helpers/arbitraries.ts';
import { cutCaseArb, reachOptionsOf, type CutCase } from '../../helpers/cuts.ts';
import { oracleReach, usableAt, usableNodes } from '../../helpers/oracle.ts';
import { referenceRespondPlan } from '../../helpers/reference-respond.ts';
import { scenario } from '../../helpers/scenario.ts';

const DAY = 86_400_000;
const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * A chat vendor (its environment names its vendor) holds a CRM token and mail grants of two users; the CRM's
 * cases hold a pasted cloud key (live), an old key revoked before the window, and a key pasted after it closed.
 */
const vendorScenario = () => scenario((s) => {
  s.platform('env', { platform: 'chatco', tenant: 'prod', vendor: 'ChatCo Inc.' });
  s.app('chat', { platform: 'chatco', tenant: 'prod', vendor: 'ChatCo Inc.', thirdParty: true });
  s.platform('crm', { platform: 'salesforce', tenant: 'acme', vendor: 'Salesforce' });
  s.role('crmAdmins', { platform: 'salesforce', tenant: 'acme', name: 'System Administrator' });
  s.identity('alice', { platform: 'salesforce', tenant: 'acme', subtype: 'human', name: 'Alice Admin' });
  s.app('crmApp', { platform: 'salesforce', tenant: 'acme', name: 'ChatCo for Salesforce' });
  s.credential('crmToken', { platform: 'salesforce', tenant: 'acme', type: 'refresh-token' });
  s.identity('integration', { platform: 'salesforce', tenant: 'acme', subtype: 'service' });
  s.resource('cases', { platform: 'salesforce', tenant: 'acme', tags: ['pii'] });
  s.resource('case1', { platform: 'salesforce', tenant: 'acme' });
  s.app('mailClient', { platform: 'google-workspace', tenant: 'acme.com', name: 'ChatCo Email', thirdParty: true, properties: { clientId: '123-chat.apps.googleusercontent.com' } });
  s.credential('grantA', { platform: 'google-workspace', tenant: 'acme.com', type: 'oauth-grant' });
  s.credential('grantB', { platform: 'google-workspace', tenant: 'acme.com', type: 'oauth-grant' });
  s.identity('userA', { platform: 'google-workspace', tenant: 'acme.com', subtype: 'human' });
  s.resource('mailboxA', { platform: 'google-workspace', tenant: 'acme.com', tags: ['pii'] });
  s.resource('mailboxB', { platform: 'google-workspace', tenant: 'acme.com', tags: ['pii'] });
  s.credential('awsKey', { platform: 'aws', tenant: '111', type: 'api-key', createdAt: iso(AT - 400 * DAY) });
  s.credential('oldKey', { platform: 'aws', tenant: '111', type: 'api-key', createdAt: iso(AT - 400 * DAY), revoked: true, revokedAt: iso(AT - 60 * DAY) });
  s.credential('lateKey', { platform: 'aws', tenant: '111', type: 'api-key', createdAt: iso(AT + 5 * DAY) });
  s.identity('awsUser', { platform: 'aws', tenant: '111', subtype: 'service' });
  s.resource('bucket', { platform: 'aws', tenant: '111', tags: ['crown-jewel'] });
  s.edge('MANAGES', 'env', 'chat').edge('MANAGES', 'env', 'crmApp').edge('MANAGES', 'env', 'mailClient')
    .edge('HOLDS', 'chat', 'crmToken').edge('HOLDS', 'chat', 'grantA').edge('HOLDS', 'chat', 'grantB')
    .edge('HOLDS', 'crmApp', 'crmToken').edge('HOLDS', 'mailClient', 'grantA').edge('HOLDS', 'mailClient', 'grantB')
    .edge('CONSENTED', 'userA', 'mailClient')
    .edge('AUTHENTICATES_AS', 'crmToken', 'integration')
    .edge('CAN_READ', 'integration', 'cases')
    .edge('CONTAINS', 'crm', 'cases').edge('CONTAINS', 'cases', 'case1')
    .edge('CAN_ADMIN', 'crmAdmins', 'crm').edge('HAS_ROLE', 'alice', 'crmAdmins')
    .edge('CONTAINS_CREDENTIAL', 'case1', 'awsKey').edge('CONTAINS_CREDENTIAL', 'case1', 'oldKey').edge('CONTAINS_CREDENTIAL', 'case1', 'lateKey')
    .edge('AUTHENTICATES_AS', 'awsKey', 'awsUser').edge('AUTHENTICATES_AS', 'oldKey', 'awsUser').edge('CAN_READ', 'awsUser', 'bucket')
    .edge('CAN_READ', 'grantA', 'mailboxA').edge('CAN_READ', 'grantB', 'mailboxB');
});

const phases = (plan: ResponsePlan) => plan.steps.map((step) => [step.phase, step.action, step.target.id]);

describe('respondPlan: a vendor compromise', () => {
  const s = vendorScenario();
  const plan = respondPlan(s.graph, [s.ix('chat')], { at: AT, since: iso(AT - 30 * DAY) });

  it('kills the vendor once per tenant, rotates the pasted key, and leaves nothing reachable', () => {
    // Greedy: the two mailboxes (pii) weigh more than the cases once the pasted key is counted as a source of its own.
    expect(phases(plan)).toEqual([
      ['contain', 'vendor-kill', s.id('mailClient')],
      ['contain', 'vendor-kill', s.id('crmApp')],
      ['rotate', 'rotate-credential', s.id('awsKey')],
      ['cleanup', 'delete-leaked-secret', s.id('case1')],
    ]);
    const [mail, crm] = plan.steps;
    expect(crm!.credentials!.map((c) => c.id)).toEqual([s.id('crmToken')]);
    expect(mail!.credentials!.map((c) => c.id).sort()).toEqual([s.id('grantA'), s.id('grantB')].sort());
    expect(mail!.title).toContain('Block OAuth client 123-chat.apps.googleusercontent.com');
    expect(crm!.title).toContain('Block connected app "ChatCo for Salesforce"');
    expect(plan.vendors).toEqual(['ChatCo Inc.']);
    expect(plan.finalScore).toBe(0);
    expect(plan.residue).toEqual([]);
    expect(plan.crownJewelsBefore.map((j) => j.id)).toEqual([s.id('bucket')]);
    expect(plan.crownJewelsAfter).toEqual([]);
  });

  it('harvests by the window: the live pasted key, not one revoked before it opened nor one pasted after it closed', () => {
    const byId = new Map(plan.harvested.map((h) => [h.id, h]));
    expect([...byId.keys()].sort()).toEqual(['awsKey', 'crmToken', 'grantA', 'grantB'].map(s.id).sort());
    expect(byId.get(s.id('awsKey'))).toMatchObject({ remediation: 'rotate', edgeKind: 'CONTAINS_CREDENTIAL', validNow: true, viaNode: { id: s.id('case1') } });
    expect(byId.get(s.id('awsKey'))!.path.map((step) => step.to.id)).toEqual(['crmToken', 'integration', 'cases', 'case1', 'awsKey'].map(s.id));
    expect(byId.get(s.id('crmToken'))).toMatchObject({ remediation: 'contain', edgeKind: 'HOLDS' });
    // Unknown start: the old key existed before `at`, so it is assumed read, but it is already dead.
    const unknown = respondPlan(s.graph, [s.ix('chat')], { at: AT });
    expect(unknown.since).toBeNull();
    expect(unknown.harvested.find((h) => h.id === s.id('oldKey'))).toMatchObject({ validNow: false, remediation: 'none' });
    expect(unknown.harvested.some((h) => h.id === s.id('lateKey'))).toBe(false);
  });

  it('measures each step against the live radius of the source and every harvested credential', () => {
    let before = plan.initialScore;
    for (const step of plan.steps) {
      expect(step.removes).toBeCloseTo(before - step.scoreAfter, 9);
      before = step.scoreAfter;
    }
    // Without rotating, the copied key still opens the bucket although every vendor token is revoked.
    const contained = overlayOfSteps(s.graph, plan.steps.filter((step) => step.phase === 'contain'));
    expect(blastRadius(s.graph, [s.ix('awsKey')], { at: AT, overlay: contained }).reached.map((entry) => entry.id)).toContain(s.id('bucket'));
    expect(blastRadius(s.graph, [s.ix('chat')], { at: AT, overlay: contained }).reached).toEqual([]);
  });

  it('says who can act (roles first, then the people holding them) and what the kill costs', () => {
    const [mail, crm] = plan.steps;
    expect(crm!.who.map((w) => [w.id, w.how])).toEqual([
      [s.id('crmAdmins'), 'administers crm'],
      [s.id('alice'), 'holds System Administrator'],
    ]);
    expect(mail!.impact.cost).toBe('medium');
    expect(mail!.impact.dependents.map((d) => [d.id, d.relation])).toContainEqual([s.id('userA'), 'consented to ChatCo Email']);
  });

  it('defaults the window to the source\'s createdAt', () => {
    const dated = scenario((b) => {
      b.credential('bot', { platform: 'slack', tenant: 'T1', type: 'api-key', createdAt: iso(AT - 10 * DAY) });
      b.resource('channel', { platform: 'slack', tenant: 'T1' });
      b.credential('pat', { platform: 'github', tenant: 'org', type: 'pat', createdAt: iso(AT - 100 * DAY), revoked: true, revokedAt: iso(AT - 20 * DAY) });
      b.edge('CAN_READ', 'bot', 'channel').edge('CONTAINS_CREDENTIAL', 'channel', 'pat');
    });
    const result = respondPlan(dated.graph, [dated.ix('bot')], { at: AT });
    expect(result).toMatchObject({ since: iso(AT - 10 * DAY), sinceBasis: 'createdAt' });
    // Revoked ten days before the bot token existed: never there to copy.
    expect(result.harvested).toEqual([]);
  });
});

describe('respondPlan: a stolen bot token whose channel holds a pasted PAT', () => {
  const s = scenario((b) => {
    b.platform('slackOrg', { platform: 'slack', tenant: 'T1' });
    b.app('bot', { platform: 'slack', tenant: 'T1', name: 'Standup bot' });
    b.credential('botToken', { platform: 'slack', tenant: 'T1', type: 'api-key' });
    b.resource('channel', { platform: 'slack', tenant: 'T1', name: '#eng-oncall' });
    b.credential('pat', { platform: 'github', tenant: 'org', type: 'pat' });
    b.identity('dev', { platform: 'github', tenant: 'org', subtype: 'human' });
    b.resource('repo', { platform: 'github', tenant: 'org', tags: ['crown-jewel'] });
    b.edge('HOLDS', 'bot', 'botToken').edge('CAN_READ', 'botToken', 'channel').edge('CONTAINS', 'slackOrg', 'channel')
      .edge('CONTAINS_CREDENTIAL', 'channel', 'pat').edge('AUTHENTICATES_AS', 'pat', 'dev').edge('CAN_WRITE', 'dev', 'repo');
  });

  it('revokes the stolen token and rotates the PAT instead of removing the bot\'s read on the channel', () => {
    const plan = respondPlan(s.graph, [s.ix('botToken')], { at: AT });
    expect(phases(plan)).toEqual([
      ['contain', 'revoke-credential', s.id('botToken')],
      ['rotate', 'rotate-credential', s.id('pat')],
      ['cleanup', 'delete-leaked-secret', s.id('channel')],
    ]);
    // The preventive plan's first cut removes the path; the PAT would stay stolen.
    const preventive = revocationPlan(s.graph, [s.ix('botToken')], { at: AT, steps: 1 });
    expect(preventive.steps[0]!.cut.action).toBe('remove-edge');
    expect(plan.steps[1]!.removes).toBeGreaterThan(0);
  });
});

describe('respondPlan: a harvest of several rounds', () => {
  it('harvests a key read only at the window\'s start, then what that key opens at its end, in the next round', () => {
    // tempToken lets the source read the docs when the window opens and expires inside it; key1, pasted in the
    // docs inside the window, opens the vault at its end, whose key2 is only found from key1 (round 2).
    const s = scenario((b) => {
      b.app('src', { platform: 'okta', tenant: 't' });
      b.credential('tempToken', { platform: 'okta', tenant: 't', type: 'access-token', createdAt: iso(AT - 100 * DAY), expiresAt: iso(AT - 5 * DAY) });
      b.identity('svc', { platform: 'okta', tenant: 't', subtype: 'service' });
      b.resource('docs', { platform: 'okta', tenant: 't' });
      b.credential('key1', { platform: 'aws', tenant: '1', type: 'api-key', createdAt: iso(AT - 3 * DAY) });
      b.identity('svc2', { platform: 'aws', tenant: '1', subtype: 'service' });
      b.resource('vault', { platform: 'aws', tenant: '1' });
      b.credential('key2', { platform: 'github', tenant: 'g', type: 'pat', createdAt: iso(AT - 100 * DAY) });
      b.identity('dev', { platform: 'github', tenant: 'g', subtype: 'service' });
      b.edge('HOLDS', 'src', 'tempToken').edge('AUTHENTICATES_AS', 'tempToken', 'svc').edge('CAN_READ', 'svc', 'docs')
        .edge('CONTAINS_CREDENTIAL', 'docs', 'key1').edge('AUTHENTICATES_AS', 'key1', 'svc2').edge('CAN_READ', 'svc2', 'vault')
        .edge('CONTAINS_CREDENTIAL', 'vault', 'key2').edge('AUTHENTICATES_AS', 'key2', 'dev');
    });
    const plan = respondPlan(s.graph, [s.ix('src')], { at: AT, since: AT - 10 * DAY });
    expect(plan.harvested.map((h) => [h.id, h.round])).toEqual([[s.id('key1'), 1], [s.id('key2'), 2]]);
    expect(plan.steps.filter((step) => step.phase === 'rotate').map((step) => step.target.id).sort()).toEqual([s.id('key1'), s.id('key2')].sort());
  });
});

describe('respondPlan: refresh-token families', () => {
  it('says a pasted access token past its expiry is live through its refresh token, and revokes both', () => {
    const s = scenario((b) => {
      b.credential('stolen', { platform: 'okta', tenant: 'o', type: 'api-key' });
      b.resource('wiki', { platform: 'okta', tenant: 'o' });
      b.credential('refresh', { platform: 'google-workspace', tenant: 'g', type: 'refresh-token' });
      b.credential('access', { platform: 'google-workspace', tenant: 'g', type: 'access-token', expiresAt: iso(AT - DAY) });
      b.resource('drive', { platform: 'google-workspace', tenant: 'g', tags: ['pii'] });
      b.edge('CAN_READ', 'stolen', 'wiki').edge('CONTAINS_CREDENTIAL', 'wiki', 'access').edge('MINTS', 'refresh', 'access').edge('CAN_READ', 'access', 'drive');
    });
    const plan = respondPlan(s.graph, [s.ix('stolen')], { at: AT });
    const access = plan.harvested.find((h) => h.id === s.id('access'))!;
    expect(access.liveThrough?.id).toBe(s.id('refresh'));
    expect(access.validNow).toBe(true);
    const rotate = plan.steps.find((step) => step.phase === 'rotate')!;
    expect(rotate.target.id).toBe(s.id('access'));
    expect(rotate.liveThrough?.id).toBe(s.id('refresh'));
    expect(rotate.title).toContain('live through its refresh token refresh');
    expect(rotate.blocks.nodes).toEqual([s.id('access'), s.id('refresh')]);
  });
});

describe('respondPlan: hunt and the preventive plan\'s actionability', () => {
  it('hunts where admin over a tenant was reached, with what to look for since the window opened', () => {
    const s = scenario((b) => {
      b.identity('sprayed', { platform: 'entra', tenant: 'test', subtype: 'human' });
      b.credential('secret', { platform: 'entra', tenant: 'corp', type: 'client-secret' });
      b.identity('sp', { platform: 'entra', tenant: 'corp', subtype: 'service' });
      b.platform('corp', { platform: 'entra', tenant: 'corp' });
      b.resource('mail', { platform: 'entra', tenant: 'corp', tags: ['crown-jewel'] });
      b.edge('HOLDS', 'sprayed', 'secret').edge('AUTHENTICATES_AS', 'secret', 'sp').edge('CAN_ADMIN', 'sp', 'corp').edge('CONTAINS', 'corp', 'mail');
    });
    const plan = respondPlan(s.graph, [s.ix('sprayed')], { at: AT, since: iso(AT - 50 * DAY) });
    const hunt = plan.steps.filter((step) => step.phase === 'hunt');
    expect(hunt.map((step) => step.target.id)).toEqual([s.id('corp')]);
    expect(hunt[0]!.since).toBe(iso(AT - 50 * DAY));
    expect(hunt[0]!.lookFor!.join(' ')).toMatch(/app registrations/);
    expect(hunt[0]!.containment).toBe(false);
    expect(hunt[0]!.removes).toBe(0);
    // Suspending the sprayed account is a person's account: high cost, said so.
    const contain = plan.steps.find((step) => step.phase === 'contain')!;
    expect(contain).toMatchObject({ action: 'suspend-account', target: { id: s.id('sprayed') }, impact: { cost: 'high' } });
  });

  it('never cuts a vendor-side HOLDS and ranks disabling a person after an equivalent cut', () => {
    const s = scenario((b) => {
      b.identity('svc', { platform: 'acme', tenant: 't', subtype: 'service' });
      b.identity('person', { platform: 'acme', tenant: 't', subtype: 'human' });
      b.app('vendorApp', { platform: 'bigvendor', tenant: 'prod', vendor: 'Big Vendor', thirdParty: true });
      b.credential('token', { platform: 'acme', tenant: 't', type: 'oauth-grant' });
      b.resource('data', { platform: 'acme', tenant: 't', tags: ['pii'] });
      b.resource('more', { platform: 'acme', tenant: 't', tags: ['pii'] });
      b.edge('SSO_TO', 'svc', 'person').edge('CAN_READ', 'person', 'data')
        .edge('HOLDS', 'vendorApp', 'token').edge('CAN_READ', 'token', 'more');
    });
    const fromVendor = revocationPlan(s.graph, [s.ix('vendorApp')], { at: AT, steps: 1, alternatives: 20 });
    const cuts = [fromVendor.steps[0]!.cut, ...fromVendor.steps[0]!.alternatives];
    expect(cuts.map((cut) => [cut.action, cut.id])).toEqual([['revoke', s.id('token')]]);
    // From svc: removing the sign-in link and disabling the person remove the same; the person goes last.
    const fromSvc = revocationPlan(s.graph, [s.ix('svc')], { at: AT, steps: 1, alternatives: 20 });
    expect([fromSvc.steps[0]!.cut, ...fromSvc.steps[0]!.alternatives].map((cut) => [cut.action, cut.id])).toEqual([
      ['remove-edge', `${s.id('svc')}|SSO_TO|${s.id('person')}`],
      ['disable', s.id('person')],
    ]);
  });

  it('cuts the edges derived from a scoped delegation as the delegation, and whatif removes it the same way', () => {
    // Domain-wide delegation limited to drive.readonly and gmail.readonly: the builder turns it into DELEGATED_AS
    // plus derived reads of the CEO's drive and mailbox; the cut is removing the delegation, never one derived edge.
    const G = 'google-workspace';
    const s = scenario((b) => {
      b.identity('backup', { platform: 'gcp', tenant: 'prj', subtype: 'service' });
      b.identity('ceo', { platform: G, tenant: 'acme.com', subtype: 'human' });
      b.resource('drive', { platform: G, tenant: 'acme.com', resourceType: 'drive', tags: ['pii'] });
      b.resource('mail', { platform: G, tenant: 'acme.com', resourceType: 'mailbox', tags: ['pii'] });
      b.edge('CAN_ADMIN', 'ceo', 'drive').edge('CAN_ADMIN', 'ceo', 'mail')
        .edge('CAN_IMPERSONATE', 'backup', 'ceo', { id: 'dwd-1', scopes: ['https://www.googleapis.com/auth/drive.readonly', 'https://www.googleapis.com/auth/gmail.readonly'] });
    });
    const derived = s.graph.edgeAttrs.filter((attrs) => attrs?.derivedFrom === 'dwd-1');
    expect(derived).toHaveLength(2);
    const plan = revocationPlan(s.graph, [s.ix('backup')], { at: AT, steps: 2, alternatives: 20 });
    const first = plan.steps[0]!;
    expect([first.cut, ...first.alternatives].map((cut) => [cut.action, cut.id])).toEqual([['remove-edge', 'dwd-1']]);
    expect(first.scoreAfter).toBe(0);
    expect(first.cut.mitigations).toEqual([{ removeEdge: 'dwd-1' }]);
    expect(first.cut).toMatchObject({ delegation: true, name: 'backup -DELEGATED_AS-> ceo' });
    expect(cutText(first.cut)).toBe('Remove the delegation backup -DELEGATED_AS-> ceo (and the 2 edges it allows)');
    expect(whatIf(s.graph, [s.ix('backup')], first.cut.mitigations, { at: AT }).scoreAfter).toBe(0);
    // After a breach the source itself is contained instead: the stolen service account is disabled.
    const response = respondPlan(s.graph, [s.ix('backup')], { at: AT });
    expect(response.steps.map((step) => [step.phase, step.action])).toContainEqual(['contain', 'suspend-account']);
  });
});

// ------------------------------------------------------------------------------------------ random graphs

const HARVEST_KINDS = new Set(['CONTAINS_CREDENTIAL', 'STORES_CREDENTIAL']);

/** Half the cases make platform p3 a vendor's environment: its Platforms name the vendor, its Apps are the vendor's third-party apps. */
const caseArb = fc.tuple(cutCaseArb(), fc.boolean()).map(([c, vendor]): CutCase => {
  if (!vendor) return c;
  const nodes = c.g.nodes.map((node) => (node.platform !== 'p3' ? node
    : node.kind === 'Platform' ? { ...node, vendor: 'V' }
    : node.kind === 'App' ? { ...node, vendor: 'V', thirdParty: true } : node));
  const graph = buildGraph({ nodes, edges: c.g.edges });
  return { ...c, g: { ...c.g, nodes, graph }, graph };
});

/**
 * The vendor rules restated for these graphs (no platform key here is one customers administer): a vendor's
 * app, or anything on a tenant whose Platform names a vendor and where something manages, holds or keeps a
 * principal or credential of another platform.
 */
const KEEPING = new Set(['MANAGES', 'HOLDS', 'CONTAINS_CREDENTIAL', 'STORES_CREDENTIAL']);
const tenantOf = (graph: CompactGraph, v: number): string => `${graph.nodes[v]!.platform}:${graph.nodes[v]!.tenant}`;
/** Rules 2 and 3 for one tenant: its Platform names a vendor and something there keeps what belongs to another platform. */
const vendorTenant = (graph: CompactGraph, tenant: string): boolean => {
  if (!graph.nodes.some((other, u) => other.kind === 'Platform' && other.vendor !== undefined && tenantOf(graph, u) === tenant)) return false;
  for (let e = 0; e < graph.edgeCount; e++) {
    const from = graph.edgeSrc[e]!;
    if (tenantOf(graph, from) === tenant && KEEPING.has(graph.edgeKindNames[graph.edgeKind[e]!]!) && graph.nodes[graph.edgeDst[e]!]!.platform !== graph.nodes[from]!.platform) return true;
  }
  return false;
};
const vendorSideOf = (graph: CompactGraph, v: number): boolean => {
  const node = graph.nodes[v]!;
  if (node.kind === 'App' && node.thirdParty === true && node.vendor !== undefined) return true;
  const tenant = tenantOf(graph, v);
  if (vendorTenant(graph, tenant)) return true;
  // Rule 4: a tenant without a Platform where a vendor tenant's Platform manages something other than an App.
  if (graph.nodes.some((other, u) => other.kind === 'Platform' && tenantOf(graph, u) === tenant)) return false;
  for (let e = 0; e < graph.edgeCount; e++) {
    const from = graph.edgeSrc[e]!;
    if (graph.edgeKindNames[graph.edgeKind[e]!] === 'MANAGES' && graph.nodes[from]!.kind === 'Platform' && graph.nodes[graph.edgeDst[e]!]!.kind !== 'App'
      && tenantOf(graph, graph.edgeDst[e]!) === tenant && vendorTenant(graph, tenantOf(graph, from))) return true;
  }
  return false;
};

/** The harvest restated from the rules alone: reach (oracle) at both ends of the window, then every exposed credential alive in it. */
function oracleHarvest(graph: CompactGraph, sources: readonly number[], c: CutCase, since: number): Set<number> {
  const harvested = new Set<number>();
  // Alive at some instant of [since, AT]: usable at AT, or at the window's start, or created inside it and not
  // dead before it opened (the compiled windows, refresh-token families included, are [activeFrom, activeUntil)).
  const window = (v: number): boolean => graph.activeFrom[v]! <= AT && graph.activeUntil[v]! > since;
  for (;;) {
    const starts = [...sources, ...harvested];
    const levels = [oracleReach(graph, starts, { ...reachOptionsOf(c), at: AT }).level];
    if (Number.isFinite(since)) levels.push(oracleReach(graph, starts, { ...reachOptionsOf(c), at: since }).level);
    let added = false;
    for (let e = 0; e < graph.edgeCount; e++) {
      const kind = graph.edgeKindNames[graph.edgeKind[e]!]!;
      const to = graph.edgeDst[e]!;
      const from = graph.edgeSrc[e]!;
      // Leaked or stored: readable is enough; held by a vendor's system the attacker controls: a copy from its store.
      const needs = HARVEST_KINDS.has(kind) ? 1 : kind === 'HOLDS' && vendorSideOf(graph, from) ? 3 : 0;
      if (needs === 0 || graph.nodes[to]!.kind !== 'Credential' || harvested.has(to) || sources.includes(to)) continue;
      if (c.enforce && graph.edgeAttrs[e]?.conditions?.includes('mfa')) continue;
      if (!levels.some((level) => level[from]! >= needs) || !window(to)) continue;
      harvested.add(to);
      added = true;
    }
    if (!added) return harvested;
  }
}

describe('respondPlan on random graphs', () => {
  const sinceArb = fc.constantFrom(undefined, AT - 10 * 86_400_000, AT - 400 * 86_400_000);

  it('equals the first implementation (a traversal per rotation and per measured step), to the JSON text', () => {
    const text = (value: unknown) => JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' ? Math.round(v * 1e6) / 1e6 : v));
    fc.assert(fc.property(caseArb, sinceArb, fc.integer({ min: 0, max: 4 }), (c, since, cutSteps) => {
      const sources = [...new Set(c.sources)];
      const options = { ...reachOptionsOf(c), cutSteps, ...(since !== undefined ? { since } : {}) };
      expect(text(respondPlan(c.graph, sources, options))).toBe(text(referenceRespondPlan(c.graph, sources, options)));
    }), { numRuns: 300 });
  });

  it('measures a contain action by re-deriving only the nodes whose witness path runs through it: equal to the oracle', () => {
    const picks = fc.array(fc.nat(), { maxLength: 6 });
    fc.assert(fc.property(caseArb, picks, picks, picks, (c, startPicks, basePicks, extraPicks) => {
      const { graph } = c;
      const n = graph.nodeCount;
      const { maxDepth: _depth, ...reachOptions } = reachOptionsOf(c);
      const starts = [...new Set([...c.sources, ...startPicks.map((k) => k % n)])];
      const overlay = { blockedNodes: new Uint8Array(n), blockedEdges: new Uint8Array(graph.edgeCount) };
      for (const k of basePicks) overlay.blockedNodes[k % n] = 1;
      const extra = [...new Set(extraPicks.map((k) => k % n))];
      const measured = (blockedNodes: Uint8Array) => {
        const result = reach(graph, starts, { ...reachOptions, overlay: { blockedNodes, blockedEdges: overlay.blockedEdges } });
        return { score: scoreOrder(graph, result.level, result.order, starts), reached: result.order.filter((v) => !starts.includes(v)).length, result };
      };
      const live = measured(overlay.blockedNodes);
      const blocked = overlay.blockedNodes.slice();
      for (const v of extra) blocked[v] = 1;
      // The brute force: the oracle's levels with every node blocked.
      const oracle = oracleReach(graph, starts, { ...reachOptions, blockedNodes: blocked, blockedEdges: overlay.blockedEdges });
      let score = 0;
      let reached = 0;
      for (let v = 0; v < n; v++) if (oracle.level[v]! > 0 && !starts.includes(v)) { score += nodePoints(graph, v, oracle.level[v]!); reached++; }
      const got = scoreWithout({ graph, reachOptions }, starts, overlay, live, extra);
      expect(got.reached).toBe(reached);
      expect(got.score).toBeCloseTo(score, 6);
      // The caller's list of the radius's blocked nodes (respondPlan finds it once for dozens of actions) gives the same.
      const blockedInRadius = live.result.order.filter((v) => overlay.blockedNodes[v] === 1);
      expect(scoreWithout({ graph, reachOptions }, starts, overlay, live, extra, blockedInRadius)).toEqual(got);
      expect(scoreWithout({ graph, reachOptions }, starts, overlay, live, extra, blockedInRadius, new Set(starts))).toEqual(got);
      // A result that is not reach()'s own (a copy: no kept states) is read from its per-slot witness arrays.
      expect(scoreWithout({ graph, reachOptions }, starts, overlay, { ...live, result: { ...live.result } }, extra)).toEqual(got);
    }), { numRuns: 300 });
  });

  it('raises a radius\'s levels by more starts held at admin to the levels of a fresh reach from every start', () => {
    const picks = fc.array(fc.nat(), { maxLength: 6 });
    fc.assert(fc.property(caseArb, picks, picks, (c, firstPicks, morePicks) => {
      const { graph } = c;
      const n = graph.nodeCount;
      const { maxDepth: _depth, ...reachOptions } = reachOptionsOf(c);
      const first = [...new Set([...c.sources, ...firstPicks.map((k) => k % n)])];
      const more = morePicks.map((k) => k % n);
      const before = reach(graph, first, reachOptions);
      const levels = { level: before.level.slice(), order: [...before.order] };
      const raised = extendLevels(graph, reachOptions, levels, more);
      const fresh = reach(graph, [...first, ...more], reachOptions);
      expect([...levels.level]).toEqual([...fresh.level]);
      // Every reached node once, the old ones first; what rose is exactly the nodes whose level differs.
      expect(levels.order.slice(0, before.order.length)).toEqual(before.order);
      expect([...levels.order].sort((a, b) => a - b)).toEqual([...fresh.order].sort((a, b) => a - b));
      expect(new Set(raised)).toEqual(new Set(graph.nodes.map((_, v) => v).filter((v) => fresh.level[v] !== before.level[v])));
    }), { numRuns: 300 });
  });

  it('harvests exactly what the brute force harvests; after every step only the residue is reachable from the sources and every harvested credential', () => {
    fc.assert(fc.property(caseArb, sinceArb, (c, since) => {
      const { graph } = c;
      const sources = [...new Set(c.sources)];
      const plan = respondPlan(graph, sources, { ...reachOptionsOf(c), ...(since !== undefined ? { since } : {}) });
      const harvested = plan.harvested.map((h) => graph.indexOf.get(h.id)!);
      expect(new Set(harvested)).toEqual(oracleHarvest(graph, sources, c, since ?? -Infinity));

      const containing = plan.steps.filter((step) => step.containment);
      const overlay = overlayOfSteps(graph, containing);
      const starts = [...sources, ...harvested];
      const after = oracleReach(graph, starts, { ...reachOptionsOf(c), at: AT, ...overlay });
      const reached = graph.nodes.map((n) => n.id).filter((_, v) => after.level[v]! > 0 && !starts.includes(v)).sort();
      expect(reached).toEqual(plan.residue.map((r) => r.id));
      // The residue is only what no action reaches: data reached through a source's own parts, or the vendor's side.
      for (const r of plan.residue) {
        if (!vendorSideOf(graph, graph.indexOf.get(r.id)!)) expect(['Resource', 'Platform']).toContain(r.kind);
      }
    }), { numRuns: 200 });
  });

  it('proposes only actions: no unactionable edge kind, and a harvested credential is rotated, never "removed" by cutting its path', () => {
    fc.assert(fc.property(caseArb, sinceArb, (c, since) => {
      const { graph } = c;
      const sources = [...new Set(c.sources)];
      const plan = respondPlan(graph, sources, { ...reachOptionsOf(c), ...(since !== undefined ? { since } : {}) });
      const edgeKinds = new Map<string, string[]>();
      for (let e = 0; e < graph.edgeCount; e++) {
        const id = edgeIdAt(graph, e);
        edgeKinds.set(id, [...(edgeKinds.get(id) ?? []), graph.edgeKindNames[graph.edgeKind[e]!]!]);
      }
      for (const step of plan.steps) {
        // Revoking a grant takes every edge it justifies, whatever their kind: that is one action on the grant.
        if (step.grant !== undefined) continue;
        for (const id of step.blocks.edges) {
          for (const kind of edgeKinds.get(id) ?? []) {
            expect(isCuttable(graph.schema.edgeKinds[kind]), `${step.action} blocks ${kind}`).toBe(true);
          }
        }
        if (step.phase === 'cut') expect(Object.keys(EDGE_ACTIONS).concat(['suspend-account', 'disable-app', 'disable-principal'])).toContain(step.action);
      }
      const harvestedIds = new Set(plan.harvested.map((h) => h.id));
      for (const step of plan.steps.filter((s) => s.phase === 'cut')) {
        for (const id of step.blocks.nodes) expect(harvestedIds.has(id)).toBe(false);
      }
      for (const h of plan.harvested) {
        const v = graph.indexOf.get(h.id)!;
        // Valid: usable now, refresh-token families included; "live through" only when its own expiry has passed.
        expect(h.validNow).toBe(usableNodes(graph, AT)[v]);
        if (h.liveThrough) {
          expect(h.validNow).toBe(true);
          expect(usableAt(graph.nodes[v]!, AT)).toBe(false);
        }
        if (h.remediation === 'rotate') {
          // Its own rotation, or the rotation of the access token it keeps alive (which revokes it too).
          expect(plan.steps.filter((step) => step.phase === 'rotate' && step.blocks.nodes.includes(h.id))).toHaveLength(1);
        }
      }
    }), { numRuns: 200 });
  });
});

describe('the slot index respond borrows per graph', () => {
  // The harvest's witness paths and the contain phase's witness tree borrow one slot index per graph (12 MB at 1M
  // nodes). A server answers many questions on one loaded graph: a question that throws while it holds the index
  // never gives it back, and the next borrower must not get its entries.
  it('is all -1 for the next borrower, whether the last one gave it back or threw while holding it', () => {
    const s = scenario((b) => { b.app('a'); b.app('b'); b.app('c'); });
    const states = Int32Array.from([0 * 4 + 3, 1 * 4 + 1, 2 * 4 + 2]);
    const first = borrowSlotIndex(s.graph);
    expect([...first]).toEqual(new Array(9).fill(-1));
    indexStates(first, states);
    returnSlotIndex(s.graph, first, states);
    const again = borrowSlotIndex(s.graph);
    expect(again).toBe(first);
    expect([...again]).toEqual(new Array(9).fill(-1));
    indexStates(again, states);
    // Never given back (an exception between borrow and return): the next borrower gets a clean index of its own.
    const next = borrowSlotIndex(s.graph);
    expect(next).not.toBe(again);
    expect([...next]).toEqual(new Array(9).fill(-1));
    // A late return of the abandoned index does not put it back in use.
    returnSlotIndex(s.graph, again, states);
    returnSlotIndex(s.graph, next, new Int32Array(0));
    expect(borrowSlotIndex(s.graph)).toBe(next);
  });
});
