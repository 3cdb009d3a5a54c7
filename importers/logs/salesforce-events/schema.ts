// Salesforce login and event monitoring logs, in Salesforce's field names: LoginHistory records (SOQL), Real-Time
// Event Monitoring records (ApiEvent, ReportEvent, ListViewEvent, BulkApiResultEvent, LoginEvent: SOQL on the
// big objects), and EventLogFile CSV rows (API, RestApi, BulkApi, Report, ReportExport, Login, URI event types).
import { z } from 'zod';
import { apiInstant } from '../../common/records.ts';

const text = z.string().nullish();
const attributes = z.object({ type: z.string().nullish(), url: text }).nullish();
const count = z.union([z.number(), z.string()]).nullish();

/** `SELECT Id, UserId, LoginTime, LoginType, SourceIp, Status, Application, Browser, Platform, ApiType, LoginUrl FROM LoginHistory` */
export const loginHistorySchema = z.object({
  attributes,
  Id: text,
  UserId: z.string().min(1),
  LoginTime: apiInstant,
  LoginType: text,
  LoginSubType: text,
  SourceIp: text,
  Status: text,
  Application: text,
  Browser: text,
  Platform: text,
  ApiType: text,
  LoginUrl: text,
  AuthenticationServiceId: text,
});
export type LoginHistory = z.output<typeof loginHistorySchema>;

/** A Real-Time Event Monitoring record (`SELECT ... FROM ApiEvent`, `ReportEvent`, `ListViewEvent`, `BulkApiResultEvent`, `LoginEvent`). */
export const realTimeEventSchema = z.object({
  attributes,
  Id: text,
  EventIdentifier: text,
  EventDate: apiInstant,
  UserId: text,
  Username: text,
  SourceIp: text,
  ConnectedAppId: text,
  Application: text,
  Client: text,
  ApiType: text,
  Operation: text,
  Query: text,
  QueriedEntities: text,
  RowsProcessed: count,
  Records: text,
  ReportId: text,
  ListViewId: text,
  LoginType: text,
  Status: text,
  PolicyOutcome: text,
  UserAgent: text,
  SessionKey: text,
  LoginKey: text,
});
export type RealTimeEvent = z.output<typeof realTimeEventSchema>;

/** An EventLogFile CSV row: every cell is text. TIMESTAMP_DERIVED (ISO) or TIMESTAMP (yyyyMMddHHmmss.SSS) gives the time. */
export const eventLogRowSchema = z.object({
  EVENT_TYPE: z.string().min(1),
  TIMESTAMP: text,
  TIMESTAMP_DERIVED: text,
  REQUEST_ID: text,
  ORGANIZATION_ID: text,
  USER_ID: text,
  USER_ID_DERIVED: text,
  USER_NAME: text,
  CLIENT_IP: text,
  SOURCE_IP: text,
  URI: text,
  METHOD_NAME: text,
  API_TYPE: text,
  ENTITY_NAME: text,
  ROWS_PROCESSED: text,
  CONNECTED_APP_ID: text,
  CLIENT_NAME: text,
  USER_AGENT: text,
  BROWSER_TYPE: text,
  REQUEST_STATUS: text,
  STATUS_CODE: text,
  LOGIN_STATUS: text,
  REPORT_ID: text,
  QUERY: text,
}).refine((row) => Boolean(row.TIMESTAMP_DERIVED || row.TIMESTAMP), { message: 'TIMESTAMP_DERIVED or TIMESTAMP', path: ['TIMESTAMP'] });
export type EventLogRow = z.output<typeof eventLogRowSchema>;
