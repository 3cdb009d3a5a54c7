// The Salesforce importer: `blastmap import salesforce <folder>` reads saved SOQL query results, one file per
// sObject (docs/importers/salesforce.md), and maps connected apps, their OAuth tokens and what those reach.
import type { Importer } from '../common/importer.ts';
import { SALESFORCE_FILES, transformSalesforce } from './transform.ts';

export const salesforceImporter: Importer = {
  source: 'salesforce',
  title: 'Salesforce',
  files: SALESFORCE_FILES,
  transform: transformSalesforce,
};
