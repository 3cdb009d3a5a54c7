// The Slack importer's reference data: the scope catalogue (engine/schema/scopes/slack.json) and the workspace-wide resources
// its resource types stand for. Channels named by a secret finding are contained in these.
import { scopeCatalogSchema, type ScopeCatalog } from '../common/scopes.ts';
import { withoutPrototype } from '../common/builder.ts';
import scopesJson from '../../engine/schema/scopes/slack.json' with { type: 'json' };

export const SLACK_SCOPES: ScopeCatalog = withoutPrototype(scopeCatalogSchema.parse(scopesJson));

export interface ResourceSpec {
  name: string;
  tags: string[];
  sensitivity: number;
}

/**
 * Workspace-wide resources, one node each. `posting` is apart from the conversations on purpose: levels are
 * ordered (write includes read), and posting a message reads nothing, so `chat:write` must not open a path to
 * a key pasted in a channel. `workspace` is the Platform node itself (admin scopes).
 */
export const SLACK_RESOURCES: Readonly<Record<string, ResourceSpec>> = {
  'public-channels': { name: 'Public channels (messages and history)', tags: ['internal'], sensitivity: 6 },
  'private-channels': { name: 'Private channels (messages and history)', tags: ['internal', 'pii'], sensitivity: 8 },
  'direct-messages': { name: 'Direct and group direct messages', tags: ['pii'], sensitivity: 8 },
  files: { name: 'Files and canvases', tags: ['internal'], sensitivity: 7 },
  directory: { name: 'Member directory (profiles and email addresses)', tags: ['pii'], sensitivity: 4 },
  posting: { name: 'Posting as the app (messages, files, reactions)', tags: [], sensitivity: 3 },
  'channel-management': { name: 'Channel management (create, archive, rename, join, invite)', tags: [], sensitivity: 4 },
  'workspace-metadata': { name: 'Workspace metadata (conversation lists, team information, reactions)', tags: [], sensitivity: 1 },
  'admin-data': { name: 'Workspace administration data (apps, users, settings, audit logs)', tags: ['pii'], sensitivity: 5 },
};

/** The resource type that is the workspace Platform node rather than a Resource. */
export const WORKSPACE_TYPE = 'workspace';
