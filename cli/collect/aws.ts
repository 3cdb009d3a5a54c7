// AWS IAM collector: the IAM calls and inventories of docs/importers/aws.md with the AWS SDK for JavaScript v3
// (@aws-sdk/client-iam, -sts, -s3, -secrets-manager, -dynamodb, -lambda), saved under the names the importer reads. Credentials come from the SDK's default chain
// (environment, shared config and SSO profiles, web identity, container and instance roles). The SDK's own retries
// are off (maxAttempts 1): each call goes through the framework's request(), which retries, waits out 429s and
// names the missing permission, and `failure` tells it the status and headers of the SDK's errors.
import type { GetAccountAuthorizationDetailsCommandOutput, IAMClient } from '@aws-sdk/client-iam';
import type { STSClient } from '@aws-sdk/client-sts';
import { BlastmapError } from '../../engine/errors.ts';
import { headerRecord, MalformedResponse, sleep } from './http.ts';
import type { Collector, CollectorContext, HttpFailureShape } from './types.ts';

interface Clients { iam: IAMClient; sts: STSClient; sdk: typeof import('@aws-sdk/client-iam'); stsSdk: typeof import('@aws-sdk/client-sts') }
const clients = new WeakMap<CollectorContext, Promise<Clients>>();

/** The SDK clients for this collection: one region (IAM is global), no SDK retries, the base URL when given. */
function clientsOf(context: CollectorContext): Promise<Clients> {
  let found = clients.get(context);
  if (!found) {
    found = (async () => {
      // The SDK warns on Node 20 that its releases after January 2027 need Node 22; the versions blastmap installs
      // run on Node 20, so the warning only says something a blastmap user cannot act on (docs/dependencies.md).
      process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
      const [sdk, stsSdk] = await Promise.all([import('@aws-sdk/client-iam'), import('@aws-sdk/client-sts')]);
      const config = { region: context.env.AWS_REGION ?? context.env.AWS_DEFAULT_REGION ?? 'us-east-1', maxAttempts: 1, ...(context.baseUrl ? { endpoint: context.baseUrl } : {}) };
      return { iam: new sdk.IAMClient(config), sts: new stsSdk.STSClient(config), sdk, stsSdk };
    })();
    clients.set(context, found);
  }
  return found;
}

/** Error codes AWS answers throttling with, often as HTTP 400 and without Retry-After. */
const THROTTLING = new Set(['Throttling', 'ThrottlingException', 'ThrottledException', 'RequestThrottled', 'RequestThrottledException', 'TooManyRequestsException', 'RequestLimitExceeded', 'SlowDown']);

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object';

/** One SDK call with the framework's retries; a 2xx answer the SDK could not read is a malformed page. */
async function send<T>(context: CollectorContext, what: string, call: () => Promise<T>): Promise<T> {
  const once = (): Promise<T> => call().catch((error: unknown) => {
    const status = isRecord(error) && isRecord(error.$metadata) ? error.$metadata.httpStatusCode : undefined;
    if (typeof status === 'number' && status >= 200 && status < 300) {
      throw new MalformedResponse(`${what}: the answer could not be read (${String((error as Error).message).split('\n')[0]!.slice(0, 120)})`);
    }
    throw error;
  });
  return context.request ? context.request(once) : once();
}

/**
 * The SDK output without its request metadata, as JSON (dates as ISO 8601 strings, which the SDK gives as Date
 * objects): what the CLI prints and the importer reads.
 */
function body(output: object): Record<string, unknown> {
  const { $metadata: _metadata, ...rest } = output as { $metadata?: unknown };
  return JSON.parse(JSON.stringify(rest)) as Record<string, unknown>;
}

/** A user name or key id as a file name (IAM allows letters, digits and + = , . @ _ -). */
const fileName = (name: string): string => {
  if (!/^[\w+=,.@-]+$/.test(name)) throw new MalformedResponse(`an IAM name with characters IAM does not allow: ${name.slice(0, 64)}`);
  return name;
};

export const awsCollector: Collector = {
  platform: 'aws',
  source: 'aws',
  title: 'AWS IAM',
  credentials: [
    { env: 'AWS_PROFILE', description: 'a profile of ~/.aws/config (SSO, assumed role, credential process), or any other source of the SDK\'s default credential chain', required: false },
    { env: 'AWS_ACCESS_KEY_ID', description: 'with AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary credentials): an access key of a read-only principal', required: false },
    { env: 'AWS_REGION', description: 'the region the SDK signs for (default us-east-1; IAM is global, GovCloud and China need their own)', required: false },
    { env: 'BLASTMAP_AWS_REGIONS', description: 'the regions whose secrets, tables and functions are listed, comma-separated (default: AWS_REGION)', required: false },
  ],

  failure(error) {
    if (!isRecord(error) || !isRecord(error.$metadata) || typeof error.$metadata.httpStatusCode !== 'number') return undefined;
    const status = error.$metadata.httpStatusCode;
    const response = (error as { $response?: { headers?: Record<string, string> } }).$response;
    const code = typeof error.name === 'string' ? error.name : 'Error';
    const message = `HTTP ${status}: ${code}: ${String(error.message ?? '').split('\n')[0]!.slice(0, 200)}`;
    const headers = headerRecord(response?.headers);
    // AWS throttles with HTTP 400 and no Retry-After: retried with backoff, as a transient failure.
    if (THROTTLING.has(code) && status !== 429) return { status: 503, headers, message } satisfies HttpFailureShape;
    return { status, headers, message } satisfies HttpFailureShape;
  },

  async tenant(context) {
    inventoryRegions(context); // a wrong region list fails here, before any call
    const { sts, stsSdk } = await clientsOf(context);
    try {
      const identity = await send(context, 'GetCallerIdentity', () => sts.send(new stsSdk.GetCallerIdentityCommand({})));
      if (!identity.Account || !/^\d{12}$/.test(identity.Account)) throw new MalformedResponse('sts:GetCallerIdentity named no account');
      return identity.Account;
    } catch (error) {
      if (error instanceof MalformedResponse) throw error;
      const failure = awsCollector.failure!(error);
      const said = failure?.message ?? (error instanceof Error ? error.message.split('\n')[0]! : String(error));
      // No credentials at all: the chain's own message says which sources it tried.
      throw new BlastmapError(failure ? 'IO' : 'INVALID_OPTION', `collect aws: sts:GetCallerIdentity failed (${said.slice(0, 240)}); credentials come from the AWS SDK's default chain (AWS_PROFILE, AWS_ACCESS_KEY_ID..., docs/collect.md#aws)`);
    }
  },

  async collect(context) {
    const { iam, sdk } = await clientsOf(context);
    context.progress.start('lists', 3);

    await context.endpoint('account-authorization-details', 'iam:GetAccountAuthorizationDetails', async () => {
      let marker: string | undefined;
      for (let page = 1; ; page++) {
        const output: GetAccountAuthorizationDetailsCommandOutput = await send(context, `account-authorization-details page ${page}`, () => iam.send(new sdk.GetAccountAuthorizationDetailsCommand({ ...(marker ? { Marker: marker } : {}) })));
        await context.save(page === 1 ? 'account-authorization-details.json' : `account-authorization-details-${page}.json`, body(output));
        if (!output.IsTruncated) break;
        if (!output.Marker) throw new MalformedResponse(`account-authorization-details page ${page}: IsTruncated without a Marker`);
        marker = output.Marker;
      }
    });
    context.progress.tick('lists');

    await context.endpoint('credential-report', 'iam:GenerateCredentialReport, iam:GetCredentialReport', async () => {
      // Generating takes seconds; AWS answers STARTED or INPROGRESS until it is COMPLETE (a report is reused for 4 hours).
      for (let attempt = 0; ; attempt++) {
        const generated = await send(context, 'GenerateCredentialReport', () => iam.send(new sdk.GenerateCredentialReportCommand({})));
        if (generated.State === 'COMPLETE') break;
        if (attempt >= 60) throw new MalformedResponse('GenerateCredentialReport: the report was still not complete after 60 tries');
        await sleep(1000, context.signal);
      }
      const report = await send(context, 'GetCredentialReport', () => iam.send(new sdk.GetCredentialReportCommand({})));
      if (!report.Content) throw new MalformedResponse('GetCredentialReport: no Content');
      // The CSV decoded into Content, as the importer reads it (a base64 blob would look like a secret to the scrubber).
      await context.save('credential-report.json', { ...body({ ...report, Content: undefined }), Content: new TextDecoder().decode(report.Content) });
    });
    context.progress.tick('lists');

    const users = (await context.endpoint('users', 'iam:ListUsers', async () => {
      const names: string[] = [];
      let marker: string | undefined;
      for (let page = 1; ; page++) {
        const output = await send(context, `ListUsers page ${page}`, () => iam.send(new sdk.ListUsersCommand({ MaxItems: 1000, ...(marker ? { Marker: marker } : {}) })));
        names.push(...(output.Users ?? []).map((u) => u.UserName).filter((n): n is string => typeof n === 'string'));
        if (!output.IsTruncated) break;
        if (!output.Marker) throw new MalformedResponse(`ListUsers page ${page}: IsTruncated without a Marker`);
        marker = output.Marker;
      }
      return names;
    })) ?? [];
    context.progress.tick('lists');

    context.progress.start('users', users.length);
    await context.map(users, async (user) => {
      const keys = await context.endpoint(`access-keys/${user}`, 'iam:ListAccessKeys', async () => {
        const metadata: unknown[] = [];
        let marker: string | undefined;
        for (let page = 1; ; page++) {
          const output = await send(context, `ListAccessKeys ${user} page ${page}`, () => iam.send(new sdk.ListAccessKeysCommand({ UserName: user, ...(marker ? { Marker: marker } : {}) })));
          metadata.push(...(output.AccessKeyMetadata ?? []));
          if (!output.IsTruncated) break;
          if (!output.Marker) throw new MalformedResponse(`ListAccessKeys ${user} page ${page}: IsTruncated without a Marker`);
          marker = output.Marker;
        }
        await context.save(`access-keys/${fileName(user)}.json`, body({ AccessKeyMetadata: metadata, IsTruncated: false }));
        return metadata.map((k) => (isRecord(k) && typeof k.AccessKeyId === 'string' ? k.AccessKeyId : undefined)).filter((k): k is string => k !== undefined);
      });
      for (const key of keys ?? []) {
        await context.endpoint(`access-key-last-used/${key}`, 'iam:GetAccessKeyLastUsed', async () => {
          const output = await send(context, `GetAccessKeyLastUsed ${key}`, () => iam.send(new sdk.GetAccessKeyLastUsedCommand({ AccessKeyId: key })));
          // The answer does not repeat the key id: the file is named after it, and the record carries it too.
          await context.save(`access-key-last-used/${fileName(key)}.json`, { AccessKeyId: key, ...body(output) });
        });
      }
      context.progress.tick('users');
    });

    await collectInventories(context);
  },
};

/** The regions whose Secrets Manager, DynamoDB and Lambda inventories are read: BLASTMAP_AWS_REGIONS, else the SDK's. */
function inventoryRegions(context: CollectorContext): string[] {
  const listed = (context.env.BLASTMAP_AWS_REGIONS ?? '').split(/[\s,]+/).filter(Boolean);
  const regions = listed.length > 0 ? listed : [context.env.AWS_REGION ?? context.env.AWS_DEFAULT_REGION ?? 'us-east-1'];
  for (const region of regions) if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) throw new BlastmapError('INVALID_OPTION', `BLASTMAP_AWS_REGIONS: "${region.slice(0, 32)}" is not a region name (us-east-1, eu-west-1...)`);
  return [...new Set(regions)];
}

/**
 * The optional inventories (docs/importers/aws.md): names of the buckets, secrets, tables and functions no policy
 * spells out. Buckets are listed once (ListBuckets is global); the regional ones under regions/<region>/.
 */
async function collectInventories(context: CollectorContext): Promise<void> {
  const regions = inventoryRegions(context);
  const [s3, secrets, dynamodb, lambda] = await Promise.all([import('@aws-sdk/client-s3'), import('@aws-sdk/client-secrets-manager'), import('@aws-sdk/client-dynamodb'), import('@aws-sdk/client-lambda')]);
  const config = (region: string) => ({ region, maxAttempts: 1, ...(context.baseUrl ? { endpoint: context.baseUrl } : {}) });
  context.progress.start('inventories', 1 + regions.length * 3);

  await context.endpoint('buckets', 's3:ListAllMyBuckets', async () => {
    const client = new s3.S3Client({ ...config(regions[0]!), ...(context.baseUrl ? { forcePathStyle: true } : {}) });
    let token: string | undefined;
    for (let page = 1; ; page++) {
      const output = await send(context, `ListBuckets page ${page}`, () => client.send(new s3.ListBucketsCommand({ MaxBuckets: 1000, ...(token ? { ContinuationToken: token } : {}) })));
      await context.save(page === 1 ? 'buckets.json' : `buckets-${page}.json`, body(output));
      if (!output.ContinuationToken) break;
      token = output.ContinuationToken;
    }
  });
  context.progress.tick('inventories');

  for (const region of regions) {
    const folder = `regions/${region}`;
    await context.endpoint(`${folder}/secrets`, 'secretsmanager:ListSecrets', async () => {
      // Names and ARNs only: ListSecrets never returns a secret's value.
      const client = new secrets.SecretsManagerClient(config(region));
      let token: string | undefined;
      for (let page = 1; ; page++) {
        const output = await send(context, `ListSecrets ${region} page ${page}`, () => client.send(new secrets.ListSecretsCommand({ MaxResults: 100, ...(token ? { NextToken: token } : {}) })));
        await context.save(page === 1 ? `${folder}/secrets.json` : `${folder}/secrets-${page}.json`, body(output));
        if (!output.NextToken) break;
        token = output.NextToken;
      }
    });
    context.progress.tick('inventories');
    await context.endpoint(`${folder}/tables`, 'dynamodb:ListTables', async () => {
      const client = new dynamodb.DynamoDBClient(config(region));
      let start: string | undefined;
      for (let page = 1; ; page++) {
        const output = await send(context, `ListTables ${region} page ${page}`, () => client.send(new dynamodb.ListTablesCommand({ Limit: 100, ...(start ? { ExclusiveStartTableName: start } : {}) })));
        await context.save(page === 1 ? `${folder}/tables.json` : `${folder}/tables-${page}.json`, body(output));
        if (!output.LastEvaluatedTableName) break;
        start = output.LastEvaluatedTableName;
      }
    });
    context.progress.tick('inventories');
    await context.endpoint(`${folder}/functions`, 'lambda:ListFunctions', async () => {
      const client = new lambda.LambdaClient(config(region));
      let marker: string | undefined;
      for (let page = 1; ; page++) {
        const output = await send(context, `ListFunctions ${region} page ${page}`, () => client.send(new lambda.ListFunctionsCommand({ MaxItems: 50, ...(marker ? { Marker: marker } : {}) })));
        // A function's environment variables often hold secrets and the importer does not read them: not written.
        const functions = (output.Functions ?? []).map(({ Environment: _environment, ...rest }) => rest);
        await context.save(page === 1 ? `${folder}/functions.json` : `${folder}/functions-${page}.json`, body({ ...output, Functions: functions }));
        if (!output.NextMarker) break;
        marker = output.NextMarker;
      }
    });
    context.progress.tick('inventories');
  }
}
