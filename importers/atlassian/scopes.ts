// The Atlassian scope catalogue (engine/schema/scopes/atlassian.json): classic, granular and Connect scopes of Jira,
// Confluence and the other products, as Forge manifests and OAuth 2.0 (3LO) grants name them.
import scopesJson from '../../engine/schema/scopes/atlassian.json' with { type: 'json' };
import { scopeCatalogSchema } from '../common/scopes.ts';

export const ATLASSIAN_SCOPES = scopeCatalogSchema.parse(scopesJson);
