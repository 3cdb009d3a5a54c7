// Corvid Labs' n8n instance (automation.corvidlabs.com) as its public REST API returns it (docs/importers/n8n.md):
// People Ops runs HR-to-Okta provisioning, a ServiceNow access-request workflow and leavers; RevOps posts won
// deals from Salesforce to Slack. The Okta connection is svc-peoplegrid's, so the instance is an identity control plane.
import { firstName, lastName, PEOPLEGRID_SERVICE, personByEmail } from './people.ts';
import type { Files } from './write.ts';

const CREATED = '2024-03-04T10:00:00.000Z';
const UPDATED = '2026-10-01T09:00:00.000Z';
const USERS: [string, string, string][] = [
  ['2f0c7a1e-3b9d-4c2a-8e61-0d4f5a7b9c11', 'tom.becker@corvidlabs.com', 'global:owner'],
  ['7a3e9c2b-1d5f-4e8a-b0c4-6f2d8e1a3b52', 'priya.raman@corvidlabs.com', 'global:admin'],
  ['c41b8e2d-6a0f-4d3c-9b75-2e8f1a6c4d93', 'grace.liu@corvidlabs.com', 'global:member'],
  ['5d9f2a6c-8e1b-4f7d-a3c0-9b4e6d2f8a14', 'noah.williams@corvidlabs.com', 'global:member'],
  ['e8a4c1f7-2b6d-4a9e-8c3f-1d7b5e9a2c65', 'isabel.romero@corvidlabs.com', 'global:member'],
];
const PEOPLE_OPS = { id: 'PplOps7Kq2Zx9Wm4', name: 'People Ops', type: 'team' };
const REVOPS = { id: 'RevOps3Ld8Fh1Qs6', name: 'RevOps', type: 'team' };

function user(email: string) {
  const [id, , role] = USERS.find(([, e]) => e === email)!;
  const person = personByEmail(email);
  return { id, email, firstName: firstName(person), lastName: lastName(person), createdAt: CREATED, updatedAt: UPDATED, role };
}
const member = (email: string, role: string) => {
  const { id, firstName: first, lastName: last, createdAt, updatedAt } = user(email);
  return { id, email, firstName: first, lastName: last, createdAt, updatedAt, role };
};
const share = (project: typeof PEOPLE_OPS, role: string, at: string) => ({ id: project.id, name: project.name, role, createdAt: at, updatedAt: at });

const CREDENTIALS = {
  okta: { id: 'OktaProv1s10n4Pg', name: `Okta provisioning (${PEOPLEGRID_SERVICE.login.split('@')[0]})`, type: 'oktaApi', at: '2024-06-18T14:10:00.000Z', shared: [share(PEOPLE_OPS, 'credential:owner', '2024-06-18T14:10:00.000Z')] },
  bamboo: { id: 'BmbHr7Wq3Er5Ty2U', name: 'BambooHR (People Ops)', type: 'bambooHrApi', at: '2024-06-18T14:20:00.000Z', shared: [share(PEOPLE_OPS, 'credential:owner', '2024-06-18T14:20:00.000Z')] },
  servicenow: { id: 'SnIt5m0Auth2Acc3', name: 'ServiceNow access requests', type: 'serviceNowOAuth2Api', at: '2025-01-13T09:30:00.000Z', shared: [share(PEOPLE_OPS, 'credential:owner', '2025-01-13T09:30:00.000Z')] },
  slack: { id: 'SlkN0t1fy8Pe0pl3', name: 'Slack (#people, #wins)', type: 'slackOAuth2Api', at: '2024-06-20T11:00:00.000Z', shared: [share(PEOPLE_OPS, 'credential:owner', '2024-06-20T11:00:00.000Z'), share(REVOPS, 'credential:user', '2025-05-02T15:00:00.000Z')] },
  salesforce: { id: 'SfdcLaur4J3ns3n0', name: 'Salesforce (laura.jensen)', type: 'salesforceOAuth2Api', at: '2025-05-02T14:45:00.000Z', shared: [share(REVOPS, 'credential:owner', '2025-05-02T14:45:00.000Z')] },
};
type CredentialKey = keyof typeof CREDENTIALS;
const uses = (key: CredentialKey) => ({ [CREDENTIALS[key].type]: { id: CREDENTIALS[key].id, name: CREDENTIALS[key].name } });

interface NodeSpec { id: string; name: string; type: string; parameters?: Record<string, unknown>; credentials?: CredentialKey; webhookId?: string }
function workflow(id: string, name: string, project: typeof PEOPLE_OPS, nodes: NodeSpec[], tags: string[]) {
  return {
    id, name, active: true, isArchived: false, createdAt: '2024-06-21T10:00:00.000Z', updatedAt: '2026-09-30T16:05:00.000Z',
    nodes: nodes.map((n) => ({ id: n.id, name: n.name, type: n.type, typeVersion: 1, position: [0, 0], parameters: n.parameters ?? {}, ...(n.credentials ? { credentials: uses(n.credentials) } : {}), ...(n.webhookId ? { webhookId: n.webhookId } : {}) })),
    connections: {}, settings: { executionOrder: 'v1' }, staticData: null, meta: null,
    tags: tags.map((tag) => ({ id: `tg${tag}`, name: tag })),
    shared: [{ role: 'workflow:owner', workflowId: id, projectId: project.id, project }],
  };
}

export function n8nExport(files: Files): void {
  const page = (data: unknown[]) => ({ data, nextCursor: null });
  files['users.json'] = page(USERS.map(([, email]) => ({ ...user(email), isPending: false })).map(({ id, email, firstName: f, lastName: l, isPending, createdAt, updatedAt, role }) => ({ id, email, firstName: f, lastName: l, isPending, createdAt, updatedAt, role })));
  files['projects.json'] = page([PEOPLE_OPS, REVOPS]);
  files[`projects/${PEOPLE_OPS.id}/users.json`] = page([member('grace.liu@corvidlabs.com', 'project:admin'), member('noah.williams@corvidlabs.com', 'project:editor')]);
  files[`projects/${REVOPS.id}/users.json`] = page([member('isabel.romero@corvidlabs.com', 'project:admin')]);
  files['credentials.json'] = page(Object.values(CREDENTIALS).map((c) => ({ id: c.id, name: c.name, type: c.type, createdAt: c.at, updatedAt: c.at, shared: c.shared })));
  files['workflows.json'] = page([
    workflow('NwH1reOkta00001a', 'New hire: BambooHR to Okta', PEOPLE_OPS, [
      { id: 'n1', name: 'Every hour', type: 'n8n-nodes-base.scheduleTrigger', parameters: { rule: { interval: [{ field: 'hours' }] } } },
      { id: 'n2', name: 'Employees starting this week', type: 'n8n-nodes-base.bambooHr', parameters: { resource: 'employee', operation: 'getAll' }, credentials: 'bamboo' },
      { id: 'n3', name: 'Create Okta user', type: 'n8n-nodes-base.okta', parameters: { resource: 'user', operation: 'create', profile: { login: '={{ $json.workEmail }}' } }, credentials: 'okta' },
      { id: 'n4', name: 'Announce in #people', type: 'n8n-nodes-base.slack', parameters: { resource: 'message', operation: 'post', channel: '#people' }, credentials: 'slack' },
    ], ['hr', 'provisioning']),
    workflow('AccReqSnow0002b', 'Access request approved in ServiceNow: update Okta', PEOPLE_OPS, [
      { id: 'a1', name: 'ServiceNow approval webhook', type: 'n8n-nodes-base.webhook', parameters: { path: 'access-approved', httpMethod: 'POST' }, webhookId: '5e1d7c3a-2b9f-4d60-8a14-7c3e9f0b2d58' },
      { id: 'a2', name: 'Requested item', type: 'n8n-nodes-base.serviceNow', parameters: { resource: 'tableRecord', operation: 'get', tableName: 'sc_req_item' }, credentials: 'servicenow' },
      { id: 'a3', name: 'Update Okta user', type: 'n8n-nodes-base.okta', parameters: { resource: 'user', operation: 'update' }, credentials: 'okta' },
    ], ['itsm']),
    workflow('LeaverHrOkta003c', 'Leaver: terminate in BambooHR and Okta', PEOPLE_OPS, [
      { id: 'l1', name: 'Manual start', type: 'n8n-nodes-base.manualTrigger' },
      { id: 'l2', name: 'Set termination date', type: 'n8n-nodes-base.bambooHr', parameters: { resource: 'employee', operation: 'update' }, credentials: 'bamboo' },
      { id: 'l3', name: 'Deactivate Okta user', type: 'n8n-nodes-base.okta', parameters: { resource: 'user', operation: 'delete' }, credentials: 'okta' },
    ], ['hr']),
    workflow('ClsdWonWins004d', 'Closed-won deals to #wins', REVOPS, [
      { id: 'w1', name: 'Opportunity won', type: 'n8n-nodes-base.salesforceTrigger', parameters: { triggerOn: 'opportunityUpdated' }, credentials: 'salesforce' },
      { id: 'w2', name: 'Deal details', type: 'n8n-nodes-base.salesforce', parameters: { resource: 'opportunity', operation: 'get' }, credentials: 'salesforce' },
      { id: 'w3', name: 'Post to #wins', type: 'n8n-nodes-base.slack', parameters: { resource: 'message', operation: 'post', channel: '#wins' }, credentials: 'slack' },
    ], ['revops']),
  ]);
  // Written by the People Ops admin: what the two linked connections sign in as (BambooHR, ServiceNow and Slack are not imported).
  const laura = personByEmail('laura.jensen@corvidlabs.com');
  files['connection-links.json'] = { [CREDENTIALS.okta.id]: `okta:Identity:${PEOPLEGRID_SERVICE.login}`, [CREDENTIALS.salesforce.id]: `salesforce:Identity:${laura.salesforce}` };
}
