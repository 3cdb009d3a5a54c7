// Salesforce OAuth scopes: the catalogue (engine/schema/scopes/salesforce.json) and the names the Metadata API gives
// the same scopes (ConnectedApp `oauthConfig.scopes` says `Api`, `RefreshToken`; a token and the docs say `api`, `refresh_token`).
import scopesJson from '../../engine/schema/scopes/salesforce.json' with { type: 'json' };
import { scopeCatalogSchema } from '../common/scopes.ts';

export const SALESFORCE_SCOPES = scopeCatalogSchema.parse(scopesJson);

/**
 * The Metadata API's `ConnectedAppOauthAccessScope` values and the OAuth scope each stands for, as the "OAuth Tokens
 * and Scopes" help page pairs them (help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_tokens_scopes.htm).
 * `Basic` is the "basic information" scope the page writes `id` (the identity URL service).
 */
export const METADATA_SCOPE_NAMES: Readonly<Record<string, string>> = {
  A2A: 'a2a_api',
  Address: 'address',
  Api: 'api',
  Basic: 'id',
  CDP: 'cdp_api',
  CDPCalculatedInsight: 'cdp_calculated_insight_api',
  CDPIdentityResolution: 'cdp_identityresolution_api',
  CDPIngest: 'cdp_ingest_api',
  CDPProfile: 'cdp_profile_api',
  CDPQuery: 'cdp_query_api',
  CDPSegment: 'cdp_segment_api',
  Chatbot: 'chatbot_api',
  Chatter: 'chatter_api',
  CmdbDiscovery: 'cmdb_discovery_api',
  Content: 'content',
  CustomApplications: 'visualforce',
  CustomPermissions: 'custom_permissions',
  DataCloudUserClaims: 'data_cloud_user_claims',
  Eclair: 'eclair_api',
  EinsteinGPT: 'einstein_gpt_api',
  Email: 'email',
  ForgotPassword: 'forgot_password',
  Full: 'full',
  Interaction: 'interaction_api',
  Lightning: 'lightning',
  MCP: 'mcp_api',
  OfflineAccess: 'offline_access',
  OpenID: 'openid',
  Pardot: 'pardot_api',
  Phone: 'phone',
  Profile: 'profile',
  PwdlessLogin: 'pwdless_login_api',
  RefreshToken: 'refresh_token',
  SCRT: 'scrt_api',
  SemanticLayer: 'semantic_layer_api',
  SFAP: 'sfap_api',
  UserRegistration: 'user_registration_api',
  Wave: 'wave_api',
  Web: 'web',
};

/**
 * The OAuth scope a connected app's scope names: the Metadata API name (`Api`), or the scope itself (`api`) as a
 * hand-written export or the External Client App settings give it. Unknown names pass through as written.
 */
export function oauthScopeName(name: string): string {
  const trimmed = name.trim();
  return Object.hasOwn(METADATA_SCOPE_NAMES, trimmed) ? METADATA_SCOPE_NAMES[trimmed]! : trimmed;
}
