// A small company and a meeting-notes proposal against it, shared by the review, policy, SARIF and CLI tests.
import type { Fragment, GraphEdge, GraphNode } from '../../engine/format/native.ts';
import { scenario } from './scenario.ts';

export const at = '2026-06-01T00:00:00Z';

/** A small company: a chat app reads the mailboxes, CI reads the repository, a loose AWS key reads the bucket, nothing reaches the ledger. */
export function corp() {
  return scenario((s) => {
    s.platform('gw', { platform: 'google', tenant: 'corp.com' });
    s.resource('mailboxes', { platform: 'google', tenant: 'corp.com', tags: ['pii'] });
    s.resource('repo', { platform: 'github', tenant: 'corp', tags: ['source-code'] });
    s.resource('bucket', { platform: 'aws', tenant: '111', tags: ['crown-jewel'] });
    s.resource('wiki', { platform: 'confluence', tenant: 'corp' });
    s.resource('ledger', { platform: 'netsuite', tenant: 'corp', tags: ['financial'] });
    s.app('chat', { platform: 'chatco', tenant: 'prod', thirdParty: true });
    s.credential('chatToken', { platform: 'google', tenant: 'corp.com', type: 'oauth-grant', scopes: ['https://www.googleapis.com/auth/gmail.readonly'] });
    s.app('ci', { platform: 'ci', tenant: 'corp' });
    s.credential('ciKey', { platform: 'github', tenant: 'corp', type: 'pat' });
    s.credential('awsKey', { platform: 'aws', tenant: '111', type: 'api-key' });
    s.identity('alice', { platform: 'okta', tenant: 'corp', subtype: 'human' });
    s.identity('bob', { platform: 'okta', tenant: 'corp', subtype: 'human', enabled: false });
    s.edge('HOLDS', 'chat', 'chatToken')
      .edge('CAN_READ', 'chatToken', 'mailboxes', { scopes: ['https://www.googleapis.com/auth/gmail.readonly'] })
      .edge('HOLDS', 'ci', 'ciKey')
      .edge('CAN_READ', 'ciKey', 'repo', { scopes: ['repo:read'] })
      .edge('CAN_READ', 'awsKey', 'bucket');
  });
}

export const node = (id: string, kind: string, props: Partial<GraphNode> = {}): GraphNode => {
  const [platform, tenant] = id.split(':');
  return { id, kind, name: props.name ?? id.split(':').at(-1)!, platform: platform!, tenant: tenant!, ...(kind === 'Credential' ? { type: 'client-secret' } : {}), ...props } as GraphNode;
};
export const edge = (kind: string, from: string, to: string, props: Partial<GraphEdge> = {}): GraphEdge => ({ kind, from, to, ...props });

export const NOTES = 'notes:prod:app:notes';
export const NOTES_GRANT = 'google:corp.com:credential:notes-grant';

/** A meeting-notes app whose grant reads the mailboxes and writes the crown-jewel bucket. */
export function notesProposal(c = corp(), grantTo: GraphEdge[] = [edge('CAN_READ', NOTES_GRANT, c.id('mailboxes')), edge('CAN_WRITE', NOTES_GRANT, c.id('bucket'))]): Fragment {
  return {
    nodes: [node(NOTES, 'App', { name: 'Notes AI', thirdParty: true }), node(NOTES_GRANT, 'Credential', { name: 'Notes grant', type: 'oauth-grant' })],
    edges: [edge('HOLDS', NOTES, NOTES_GRANT), ...grantTo],
  };
}

