// The AWS CloudTrail log importer on AWS's documented examples: a log file's Records and a lookup-events response.
import { describe, expect, it } from 'vitest';
import { readRawFiles } from '../../../cli/commands/import.ts';
import { awsCloudTrailImporter } from '../../../importers/logs/aws-cloudtrail/index.ts';
import { CLOUDTRAIL_CATEGORY_RULES, categoryOf } from '../../../importers/logs/aws-cloudtrail/transform.ts';
import { importLogFiles, recogniseLogFile } from '../../../importers/logs/registry.ts';
import { FAKE_SLACK_BOT_TOKEN } from '../../helpers/fake-secrets.ts';

const FOLDER = 'test/fixtures/logs/aws-cloudtrail';
const files = () => readRawFiles([FOLDER]);

function imported(input = files()) {
  const result = awsCloudTrailImporter.transform(input, {});
  if (!result.ok) throw new Error(JSON.stringify(result.issues, null, 2));
  return result;
}

describe('AWS CloudTrail log importer', () => {
  it('reads every event of the documented examples, from both formats', () => {
    const { observations, report } = imported();
    expect(report.events).toEqual({ logFile: 4, lookupEvents: 1 });
    expect(observations.map((o) => o.action).sort()).toEqual(['ConsoleLogin', 'ConsoleLogin', 'CreateUser', 'GetObject', 'GetSecretValue']);
  });

  it('names the actor by access key id, then the ARN, then the principal id; the target by what the request names', () => {
    const { observations } = imported();
    const create = observations.find((o) => o.action === 'CreateUser')!;
    expect(create).toMatchObject({
      at: Date.parse('2023-07-19T21:17:28Z'), family: 'iam', category: 'persistence', outcome: 'success', ip: '192.0.2.0', source: 'aws-cloudtrail',
      eventId: 'ba0801a1-87ec-4d26-be87-EXAMPLE75bbb',
      actor: { platform: 'aws', tenant: '123456789012', ids: ['AKIAIOSFODNN7EXAMPLE', 'arn:aws:iam::123456789012:user/Mary_Major', 'AIDA123456789EXAMPLE'], name: 'Mary_Major' },
      target: { platform: 'aws', tenant: '123456789012', ids: ['arn:aws:iam::123456789012:user/Richard_Roe', 'Richard_Roe'], name: 'Richard_Roe' },
    });
    expect(create.userAgent).toMatch(/^aws-cli\/2\.13\.5/);
    const read = observations.find((o) => o.action === 'GetObject')!;
    expect(read.actor.ids.slice(0, 3)).toEqual(['ASIAIOSFODNN7EXAMPLE', 'arn:aws:iam::123456789012:role/Analyst', 'arn:aws:sts::123456789012:assumed-role/Analyst/Jane_Doe']);
    expect(read).toMatchObject({ family: 's3', category: 'read', outcome: 'success', target: { ids: ['arn:aws:s3:::amzn-s3-demo-bucket'] } });
  });

  it('maps errorCode to the outcome: AccessDenied is blocked, a failed console sign-in is a failure', () => {
    const { observations } = imported();
    expect(observations.find((o) => o.action === 'GetSecretValue')).toMatchObject({ outcome: 'blocked', target: { ids: ['prod/db'] } });
    const failed = observations.find((o) => o.action === 'ConsoleLogin' && o.outcome !== 'success')!;
    expect(failed).toMatchObject({ outcome: 'failure', category: 'auth', ip: '203.0.113.45', actor: { ids: ['AIDA123456789EXAMPLE'] } });
  });

  it('reads lookup-events: the CloudTrailEvent text is the record', () => {
    const { observations } = imported();
    const login = observations.find((o) => o.eventId === '654ccbc0-ba0d-486a-9076-dbf7274677a7')!;
    expect(login).toMatchObject({ at: Date.parse('2016-01-26T21:42:12Z'), outcome: 'success', ip: '72.21.198.70', actor: { ids: ['arn:aws:iam::123456789012:role/my-role', 'arn:aws:sts::123456789012:assumed-role/my-role/my-session-name', 'AROAJIKPFTA72SWU4L7T4:my-session-name'] } });
  });

  it('recognises files by content whatever their names, and .json.gz names as JSON', () => {
    const [logFile] = files().filter((f) => f.path.includes('CloudTrail_'));
    expect(recogniseLogFile({ path: 'whatever.json', text: logFile!.text })?.source).toBe('aws-cloudtrail');
    expect(recogniseLogFile({ path: 'x/2023/07/19/trail.json.gz', text: logFile!.text })?.source).toBe('aws-cloudtrail');
    expect(recogniseLogFile({ path: 'users.json', text: '{"users": [{"id": 1}]}' })).toBeUndefined();
  });

  it('fails with the file and JSON path of a bad event, and writes nothing; --lenient skips it', () => {
    const bad = JSON.stringify({ Records: [{ eventTime: '2023-07-19T21:17:28Z', eventSource: 's3.amazonaws.com', eventName: 'GetObject' }, { eventTime: 'yesterday', eventSource: 's3.amazonaws.com', eventName: 'GetObject', userIdentity: {} }] });
    const result = awsCloudTrailImporter.transform([{ path: 'cloudtrail/bad.json', text: bad }], {});
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => `${i.file} ${i.path}`)).toEqual(['cloudtrail/bad.json $.Records[0].userIdentity', 'cloudtrail/bad.json $.Records[1].eventTime']);
    const lenient = awsCloudTrailImporter.transform([{ path: 'cloudtrail/bad.json', text: bad }], { lenient: true });
    expect(lenient.ok && lenient.report.skipped.length).toBe(2);
    const inner = JSON.stringify({ Events: [{ EventId: 'x', CloudTrailEvent: '{not json' }] });
    const broken = awsCloudTrailImporter.transform([{ path: 'lookup-events.json', text: inner }], {});
    expect(!broken.ok && broken.issues[0]).toMatchObject({ file: 'lookup-events.json', path: '$.Events[0].CloudTrailEvent', message: 'CloudTrailEvent is not JSON' });
  });

  it('scrubs secrets out of every kept string', () => {
    const token = FAKE_SLACK_BOT_TOKEN;
    const record = { eventTime: '2023-07-19T21:17:28Z', eventSource: 'secretsmanager.amazonaws.com', eventName: 'GetSecretValue', userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::123456789012:user/a', accountId: '123456789012' }, userAgent: `agent ${token}`, requestParameters: { secretId: token } };
    const result = imported([{ path: 'cloudtrail/s.json', text: JSON.stringify({ Records: [record] }) }]);
    expect(JSON.stringify(result.observations)).not.toContain(token);
  });

  it('the category table: every rule names event names of its own, and the fallbacks are read and write', () => {
    expect(CLOUDTRAIL_CATEGORY_RULES.map((r) => r.category)).toEqual(['auth', 'persistence', 'bulk', 'admin', 'read']);
    expect([categoryOf('CreateAccessKey', false), categoryOf('AssumeRole', true), categoryOf('SelectObjectContent', true), categoryOf('StopLogging', false), categoryOf('ListBuckets', true), categoryOf('PutObject', false), categoryOf('SomethingNew', true)])
      .toEqual(['persistence', 'auth', 'bulk', 'admin', 'read', 'write', 'read']);
  });

  it('importLogFiles merges, drops repeats by source and event id, and sorts by time', () => {
    const input = files();
    const twice = [...input, ...input.map((f) => ({ path: `copy/${f.path}`, text: f.text }))];
    const result = importLogFiles(twice);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.report.events).toBe(5);
    expect(result.report.duplicates).toBe(5);
    expect(result.observations.map((o) => o.at)).toEqual([...result.observations.map((o) => o.at)].sort((a, b) => a - b));
  });
});
