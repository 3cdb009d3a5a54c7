// Google Cloud collector: the IAM and Resource Manager calls of docs/importers/gcp.md for one project, with
// @googleapis/iam and @googleapis/cloudresourcemanager, saved under the names the importer reads.
import type { cloudresourcemanager_v1 } from '@googleapis/cloudresourcemanager';
import type { iam_v1 } from '@googleapis/iam';
import { BlastmapError } from '../../engine/errors.ts';
import { googleAuth, googleCall, googleFailure, googlePages } from './google-auth.ts';
import { MalformedResponse } from './http.ts';
import type { Collector, CollectorContext } from './types.ts';

/** The IAM permission each call needs (all in roles/iam.securityReviewer), named in the summary on a 401/403. */
const PERMISSION = {
  accounts: 'iam.serviceAccounts.list',
  keys: 'iam.serviceAccountKeys.list',
  projectPolicy: 'resourcemanager.projects.getIamPolicy',
  accountPolicy: 'iam.serviceAccounts.getIamPolicy',
} as const;
/** Read-only Cloud scope for Application Default Credentials. */
const SCOPES = ['https://www.googleapis.com/auth/cloud-platform.read-only'];

interface Clients { iam: iam_v1.Iam; crm: cloudresourcemanager_v1.Cloudresourcemanager }
const clients = new WeakMap<CollectorContext, Promise<Clients>>();

function clientsOf(context: CollectorContext): Promise<Clients> {
  let found = clients.get(context);
  if (!found) {
    found = (async () => {
      const [{ iam, auth: authPlus }, { cloudresourcemanager }] = await Promise.all([import('@googleapis/iam'), import('@googleapis/cloudresourcemanager')]);
      const auth = googleAuth(authPlus, context.env, SCOPES);
      const options = { auth, retry: false, ...(context.baseUrl ? { rootUrl: `${context.baseUrl}/` } : {}) };
      return { iam: iam({ version: 'v1', ...options }), crm: cloudresourcemanager({ version: 'v1', ...options }) };
    })();
    clients.set(context, found);
  }
  return found;
}

const projectOf = (env: CollectorContext['env']): string | undefined => (env.GOOGLE_CLOUD_PROJECT ?? env.CLOUDSDK_CORE_PROJECT)?.trim() || undefined;
/** A service account email as a file name (what IAM returns: letters, digits, - . @). */
const emailFile = (email: string): string => {
  if (!/^[\w.-]+@[\w.-]+$/.test(email)) throw new MalformedResponse(`a service account email that cannot be a file name: ${email.slice(0, 64)}`);
  return email;
};

export const gcpCollector: Collector = {
  platform: 'gcp',
  source: 'gcp',
  title: 'Google Cloud IAM',
  credentials: [
    { env: 'GOOGLE_CLOUD_PROJECT', description: 'the project id to collect (also CLOUDSDK_CORE_PROJECT); one project a run', required: false },
    { env: 'GOOGLE_OAUTH_ACCESS_TOKEN', description: 'an access token of a principal holding roles/iam.securityReviewer on the project (gcloud auth print-access-token); without it, Application Default Credentials', required: false },
    { env: 'GOOGLE_APPLICATION_CREDENTIALS', description: 'Application Default Credentials: a service account key file or a user\'s credentials file (gcloud auth application-default login)', required: false },
  ],

  failure: googleFailure,

  async tenant(context) {
    const project = projectOf(context.env);
    if (project) {
      if (!/^[\w.:-]+$/.test(project)) throw new BlastmapError('INVALID_OPTION', `GOOGLE_CLOUD_PROJECT "${project.slice(0, 64)}" is not a project id`);
      return project;
    }
    throw new BlastmapError('INVALID_OPTION', 'collect gcp needs GOOGLE_CLOUD_PROJECT (the project id) in the environment (docs/collect.md#google-cloud)');
  },

  async collect(context) {
    const project = projectOf(context.env)!;
    const { iam, crm } = await clientsOf(context);
    context.progress.start('lists', 2);
    const accounts = (await context.endpoint('service-accounts', PERMISSION.accounts, async () => {
      const pages = await googlePages(context, 'service-accounts', (pageToken) => iam.projects.serviceAccounts.list({ name: `projects/${project}`, pageSize: 100, ...(pageToken ? { pageToken } : {}) }), undefined, 'accounts');
      return pages.flatMap((p) => p.accounts ?? []).map((a) => a.email).filter((e): e is string => typeof e === 'string');
    })) ?? [];
    context.progress.tick('lists');
    await context.endpoint('iam-policy', PERMISSION.projectPolicy, async () => {
      // Version 3 so that conditional bindings come back whole (the importer keeps their conditions).
      const policy = await googleCall(context, 'iam-policy', () => crm.projects.getIamPolicy({ resource: project, requestBody: { options: { requestedPolicyVersion: 3 } } }));
      await context.save('iam-policy.json', policy);
    });
    context.progress.tick('lists');

    context.progress.start('service accounts', accounts.length);
    await context.map(accounts, async (email) => {
      const name = `projects/${project}/serviceAccounts/${email}`;
      await context.endpoint(`keys/${email}`, PERMISSION.keys, async () => {
        const keys = await googleCall(context, `keys/${email}`, () => iam.projects.serviceAccounts.keys.list({ name }));
        // Google leaves an empty list out of its JSON (`{}`); the importer reads `{"keys": []}`.
        await context.save(`keys/${emailFile(email)}.json`, { ...keys, keys: keys.keys ?? [] });
      });
      await context.endpoint(`service-account-iam-policy/${email}`, PERMISSION.accountPolicy, async () => {
        const policy = await googleCall(context, `service-account-iam-policy/${email}`, () => iam.projects.serviceAccounts.getIamPolicy({ resource: name, 'options.requestedPolicyVersion': 3 }));
        await context.save(`service-account-iam-policy/${emailFile(email)}.json`, policy);
      });
      context.progress.tick('service accounts');
    });
  },
};
