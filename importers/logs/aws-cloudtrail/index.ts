// The AWS CloudTrail log importer: `blastmap import logs <folder>` reads CloudTrail log files (as delivered to S3)
// and `lookup-events` responses (docs/importers/logs/aws-cloudtrail.md).
import type { LogImporter } from '../types.ts';
import { CLOUDTRAIL_FILES, SOURCE, transformCloudTrail } from './transform.ts';

export const awsCloudTrailImporter: LogImporter = {
  source: SOURCE,
  title: 'AWS CloudTrail',
  platform: 'aws',
  files: CLOUDTRAIL_FILES,
  transform: transformCloudTrail,
};
