// zod schemas of AWS CloudTrail events as AWS writes them: the record of a CloudTrail log file in S3
// (`{"Records": [...]}`) and the `lookup-events` response (`{"Events": [{..., "CloudTrailEvent": "<record JSON>"}]}`).
// Field names are CloudTrail's; only the fields blastmap reads are checked, the rest pass through.
import { z } from 'zod';
import { apiInstant } from '../../common/records.ts';

const text = z.string();
const optionalText = text.nullish();

/** userIdentity: who made the request (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html). */
export const userIdentitySchema = z.looseObject({
  type: optionalText,
  principalId: optionalText,
  arn: optionalText,
  accountId: optionalText,
  accessKeyId: optionalText,
  userName: optionalText,
  invokedBy: optionalText,
  sessionContext: z.looseObject({
    sessionIssuer: z.looseObject({ type: optionalText, principalId: optionalText, arn: optionalText, accountId: optionalText, userName: optionalText }).nullish(),
  }).nullish(),
});

/** One CloudTrail record (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html). */
export const cloudTrailRecordSchema = z.looseObject({
  eventVersion: optionalText,
  userIdentity: userIdentitySchema,
  eventTime: apiInstant,
  eventSource: text,
  eventName: text,
  awsRegion: optionalText,
  sourceIPAddress: optionalText,
  userAgent: optionalText,
  errorCode: optionalText,
  errorMessage: optionalText,
  requestParameters: z.record(z.string(), z.unknown()).nullish(),
  responseElements: z.record(z.string(), z.unknown()).nullish(),
  additionalEventData: z.record(z.string(), z.unknown()).nullish(),
  eventID: optionalText,
  readOnly: z.union([z.boolean(), z.string()]).nullish(),
  resources: z.array(z.looseObject({ ARN: optionalText, accountId: optionalText, type: optionalText })).nullish(),
  eventType: optionalText,
  recipientAccountId: optionalText,
});
export type CloudTrailRecord = z.output<typeof cloudTrailRecordSchema>;

/** One entry of `aws cloudtrail lookup-events` (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_Event.html). */
export const lookupEventSchema = z.looseObject({
  EventId: optionalText,
  EventName: optionalText,
  ReadOnly: optionalText,
  AccessKeyId: optionalText,
  EventTime: z.union([text, z.number()]).nullish(),
  EventSource: optionalText,
  Username: optionalText,
  CloudTrailEvent: text,
});
export type LookupEvent = z.output<typeof lookupEventSchema>;
