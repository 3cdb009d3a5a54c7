// The Salesforce login and event monitoring log importer (docs/importers/logs/salesforce-events.md).
import type { LogImporter } from '../types.ts';
import { SALESFORCE_EVENT_FILES, SOURCE, transformSalesforceEvents } from './transform.ts';

export const salesforceEventsImporter: LogImporter = {
  source: SOURCE,
  title: 'Salesforce LoginHistory and Event Monitoring',
  platform: 'salesforce',
  files: SALESFORCE_EVENT_FILES,
  transform: transformSalesforceEvents,
};
