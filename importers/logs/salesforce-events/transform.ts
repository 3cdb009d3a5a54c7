// Salesforce logs to Observations: LoginHistory, Real-Time Event Monitoring records and EventLogFile CSV rows. The
// actor is the connected app when the log names one (ConnectedAppId, CONNECTED_APP_ID), then the user (id, name):
// a connected app's token acts as its user. A query that returned many rows, a Bulk API job and a report export are
// `bulk` (docs/importers/logs/salesforce-events.md).
import type { Observation, ObservationCategory, ObservationOutcome } from '../../../engine/evidence/types.ts';
import type { FileRole } from '../../common/importer.ts';
import type { RawFile } from '../../common/records.ts';
import { epochMs, logSession, nodeRef } from '../log-files.ts';
import type { LogImportResult, LogImporterOptions } from '../types.ts';
import { eventLogRowSchema, loginHistorySchema, realTimeEventSchema, type EventLogRow, type RealTimeEvent } from './schema.ts';

export const SOURCE = 'salesforce-events';
const PLATFORM = 'salesforce';
const SOQL = 'sf data query --json --query';

export const SALESFORCE_EVENT_FILES: readonly FileRole[] = [
  {
    role: 'LoginHistory',
    pattern: /(^|\/)login-?history[^/]*\.(json|ndjson|jsonl)$/,
    produce: `${SOQL} "SELECT Id, UserId, LoginTime, LoginType, SourceIp, Status, Application, Browser, Platform, ApiType, LoginUrl FROM LoginHistory WHERE LoginTime >= {start}" > LoginHistory.json`,
    shape: { envelope: ['records'], fields: ['UserId', 'LoginTime'] },
  },
  {
    role: 'RealTimeEvents',
    pattern: /(^|\/)(api|report|listview|bulkapiresult|login)events?[^/]*\.(json|ndjson|jsonl)$/,
    produce: `${SOQL} "SELECT EventIdentifier, EventDate, UserId, Username, SourceIp, ConnectedAppId, Application, Client, ApiType, Operation, Query, QueriedEntities, RowsProcessed FROM ApiEvent WHERE EventDate >= {start}" > ApiEvent.json (likewise ReportEvent, ListViewEvent, BulkApiResultEvent, LoginEvent)`,
    shape: { envelope: ['records'], fields: ['EventDate'], anyOf: ['EventIdentifier', 'QueriedEntities', 'RowsProcessed'] },
  },
  {
    role: 'EventLogFile',
    pattern: /(^|\/)([^/]*[-_])?(eventlogfile|api|restapi|bulkapi2?|report|reportexport|login|uri)([-_][^/]*)?\.csv$/,
    produce: 'GET /services/data/v62.0/query?q=SELECT+Id,EventType,LogDate+FROM+EventLogFile, then GET /services/data/v62.0/sobjects/EventLogFile/{Id}/LogFile > {LogDate}_{EventType}.csv',
    shape: { text: /^\uFEFF?"?EVENT_TYPE"?,/ },
  },
];

/** Rows a query or report must return to be a bulk read: Salesforce's REST query page is 2,000 records; a tenth of it is already more than a person reads. */
export const BULK_ROWS = 200;

/** EventLogFile EVENT_TYPE -> category, before the row count is considered. Tested whole. */
export const ELF_EVENT_CATEGORIES: ReadonlyMap<string, ObservationCategory> = new Map([
  ['login', 'auth'],
  ['loginas', 'auth'],
  ['logout', 'auth'],
  ['api', 'read'],
  ['restapi', 'read'],
  ['bulkapi', 'bulk'],
  ['bulkapi2', 'bulk'],
  ['bulkapiresult', 'bulk'],
  ['report', 'read'],
  ['reportexport', 'bulk'],
  ['uri', 'read'],
  ['lightninginteraction', 'read'],
  ['permissionsetassignment', 'persistence'],
  ['connectedappoauth', 'auth'],
]);

/** Real-Time Event Monitoring object -> category, before the row count is considered. */
export const REALTIME_EVENT_CATEGORIES: ReadonlyMap<string, ObservationCategory> = new Map([
  ['apievent', 'read'],
  ['reportevent', 'read'],
  ['listviewevent', 'read'],
  ['bulkapiresultevent', 'bulk'],
  ['loginevent', 'auth'],
  ['loginasevent', 'auth'],
  ['permissionsetevent', 'persistence'],
]);

const rows = (value: string | number | null | undefined): number | undefined => {
  if (value === null || value === undefined || value === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
};

/** A read becomes bulk when it returned BULK_ROWS or more, or went through the Bulk API. */
const withVolume = (category: ObservationCategory, count: number | undefined, apiType?: string | null): ObservationCategory =>
  category === 'read' && ((count !== undefined && count >= BULK_ROWS) || /bulk/i.test(apiType ?? '')) ? 'bulk' : category;

export function elfCategory(row: Pick<EventLogRow, 'EVENT_TYPE' | 'ROWS_PROCESSED' | 'API_TYPE'>): ObservationCategory {
  return withVolume(ELF_EVENT_CATEGORIES.get(row.EVENT_TYPE.toLowerCase()) ?? 'other', rows(row.ROWS_PROCESSED), row.API_TYPE);
}

export function realTimeCategory(type: string, event: Pick<RealTimeEvent, 'RowsProcessed' | 'ApiType'>): ObservationCategory {
  return withVolume(REALTIME_EVENT_CATEGORIES.get(type.toLowerCase()) ?? 'other', rows(event.RowsProcessed), event.ApiType);
}

/** A login status: `Success`; a policy's refusal (restricted IP, blocked, transaction security) is `blocked`. */
export function loginOutcome(status: string | null | undefined): ObservationOutcome {
  const value = (status ?? 'Success').trim();
  if (/^(success|login_no_error)$/i.test(value)) return 'success';
  if (/restricted|blocked|not allowed|ip_restrict|transaction security|policy/i.test(value)) return 'blocked';
  return 'failure';
}

/** ELF TIMESTAMP (`20250812153422.123`, UTC) or TIMESTAMP_DERIVED (ISO) as epoch ms. */
export function elfInstant(row: Pick<EventLogRow, 'TIMESTAMP' | 'TIMESTAMP_DERIVED'>): number {
  if (row.TIMESTAMP_DERIVED) return Date.parse(row.TIMESTAMP_DERIVED);
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d{1,3}))?$/.exec(row.TIMESTAMP ?? '');
  if (!m) return NaN;
  const [, y, mo, d, h, mi, s, ms] = m;
  return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number((ms ?? '0').padEnd(3, '0')));
}

const orgOf = (options: LogImporterOptions, id: string | null | undefined): string | undefined => options.tenant ?? (id ? id.toLowerCase() : undefined);

export function transformSalesforceEvents(files: readonly RawFile[], options: LogImporterOptions): LogImportResult {
  const session = logSession(files, SALESFORCE_EVENT_FILES, options);
  const observations: Observation[] = [];
  const tenant = options.tenant;

  for (const { value: login } of session.read('LoginHistory', loginHistorySchema, ['records'])) {
    observations.push({
      at: epochMs(login.LoginTime),
      actor: nodeRef(PLATFORM, tenant, [login.UserId], login.Application && !/^browser$/i.test(login.Application) ? login.Application : undefined),
      action: login.LoginType ? `Login (${login.LoginType})` : 'Login',
      family: login.ApiType || login.Application || 'login',
      category: 'auth',
      outcome: loginOutcome(login.Status),
      ...(login.SourceIp ? { ip: login.SourceIp } : {}),
      ...(login.Browser && !/^unknown$/i.test(login.Browser) ? { userAgent: login.Browser } : {}),
      source: SOURCE,
      ...(login.Id ? { eventId: login.Id } : {}),
    });
  }

  for (const { value: event, file } of session.read('RealTimeEvents', realTimeEventSchema, ['records'])) {
    const type = event.attributes?.type ?? (/(api|report|listview|bulkapiresult|login)event/i.exec(file)?.[0] ?? 'ApiEvent');
    const count = rows(event.RowsProcessed);
    const entity = (event.QueriedEntities ?? '').split(',')[0]?.trim();
    const blocked = /^block/i.test(event.PolicyOutcome ?? '');
    observations.push({
      at: epochMs(event.EventDate),
      actor: nodeRef(PLATFORM, tenant, [event.ConnectedAppId, event.UserId, event.Username], event.Application),
      ...(entity ? { target: nodeRef(PLATFORM, tenant, [entity], entity) } : {}),
      action: event.Operation ? `${type} ${event.Operation}` : type,
      family: entity || event.ApiType || type,
      category: realTimeCategory(type, event),
      outcome: blocked ? 'blocked' : /^loginevent$/i.test(type) ? loginOutcome(event.Status) : 'success',
      ...(count !== undefined ? { count } : {}),
      ...(event.SourceIp ? { ip: event.SourceIp } : {}),
      ...(event.UserAgent || event.Client ? { userAgent: (event.UserAgent || event.Client)! } : {}),
      source: SOURCE,
      ...(event.EventIdentifier || event.Id ? { eventId: (event.EventIdentifier || event.Id)! } : {}),
    });
  }

  for (const record of session.readCsv('EventLogFile', eventLogRowSchema)) {
    const { value: row, file, path } = record;
    const at = elfInstant(row);
    if (Number.isNaN(at)) {
      session.problem({ file, path: `${path}.TIMESTAMP`, line: record.line, message: 'not a time', expected: 'TIMESTAMP as yyyyMMddHHmmss.SSS or TIMESTAMP_DERIVED as ISO 8601', found: JSON.stringify(row.TIMESTAMP ?? row.TIMESTAMP_DERIVED ?? '') });
      continue;
    }
    const count = rows(row.ROWS_PROCESSED);
    const login = /^login/i.test(row.EVENT_TYPE);
    const status = login ? loginOutcome(row.LOGIN_STATUS) : /^[FAN]$/.test(row.REQUEST_STATUS ?? '') ? 'failure' : 'success';
    const actor = nodeRef(PLATFORM, orgOf(options, row.ORGANIZATION_ID), [row.CONNECTED_APP_ID, row.USER_ID_DERIVED, row.USER_ID, row.USER_NAME], row.CLIENT_NAME);
    if (actor.ids.length === 0) {
      session.problem({ file, path: `${path}.USER_ID`, line: record.line, message: 'no actor', expected: 'USER_ID, USER_ID_DERIVED, USER_NAME or CONNECTED_APP_ID', found: 'none' });
      continue;
    }
    observations.push({
      at,
      actor,
      ...(row.ENTITY_NAME ? { target: nodeRef(PLATFORM, orgOf(options, row.ORGANIZATION_ID), [row.ENTITY_NAME], row.ENTITY_NAME) } : {}),
      action: row.METHOD_NAME ? `${row.EVENT_TYPE} ${row.METHOD_NAME}` : row.URI ? `${row.EVENT_TYPE} ${row.URI}` : row.EVENT_TYPE,
      family: row.ENTITY_NAME || row.API_TYPE || row.EVENT_TYPE,
      category: elfCategory(row),
      outcome: status,
      ...(count !== undefined ? { count } : {}),
      ...(row.CLIENT_IP || row.SOURCE_IP ? { ip: (row.CLIENT_IP || row.SOURCE_IP)! } : {}),
      ...(row.USER_AGENT ? { userAgent: row.USER_AGENT } : {}),
      source: SOURCE,
      ...(row.REQUEST_ID ? { eventId: `${row.EVENT_TYPE}:${row.REQUEST_ID}` } : {}),
    });
  }
  return session.finish(observations);
}
