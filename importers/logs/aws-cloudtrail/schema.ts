// zod schemas of AWS CloudTrail events as AWS writes them: the record of a CloudTrail log file in S3
// (`{"Records": [...]}`) and the `lookup-events` response (`{"Events": [{..., "CloudTrailEvent": "<record JSON>"}]}`).
// Field names are CloudTrail's; only the fields blastmap reads are checked and kept (z.object drops the rest, which
// also keeps a large log fast: the other fields are never copied).
import { z } from 'zod';
import { calendarInstant } from '../../../engine/format/dates.ts';

const text = z.string();
const eventInstant = z.string().transform((value, ctx) => {
  const ms = calendarInstant(value);
  if (Number.isNaN(ms)) ctx.addIssue({ code: 'custom', message: 'an ISO-8601 date-time on a real calendar day', input: value });
  return ms;
});
const optionalText = text.nullish();

/** userIdentity: who made the request (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html). */
export const userIdentitySchema = z.object({
  type: optionalText,
  principalId: optionalText,
  arn: optionalText,
  accountId: optionalText,
  accessKeyId: optionalText,
  userName: optionalText,
  invokedBy: optionalText,
  sessionContext: z.object({
    sessionIssuer: z.object({ type: optionalText, principalId: optionalText, arn: optionalText, accountId: optionalText, userName: optionalText }).nullish(),
  }).nullish(),
});

/** One CloudTrail record (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html). */
export const cloudTrailRecordSchema = z.object({
  eventVersion: optionalText,
  userIdentity: userIdentitySchema,
  /** An ISO-8601 date-time on a real calendar day, as epoch milliseconds. */
  eventTime: eventInstant,
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
  resources: z.array(z.object({ ARN: optionalText, accountId: optionalText, type: optionalText })).nullish(),
  eventType: optionalText,
  recipientAccountId: optionalText,
});
export type CloudTrailRecord = z.output<typeof cloudTrailRecordSchema>;

/** One entry of `aws cloudtrail lookup-events` (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_Event.html). */
export const lookupEventSchema = z.object({
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
