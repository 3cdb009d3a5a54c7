// The AWS IAM importer: `blastmap import aws <folder>` reads GetAccountAuthorizationDetails, access keys and the
// credential report of one account (docs/importers/aws.md) and evaluates its identity policies to access levels.
import type { Importer } from '../common/importer.ts';
import { AWS_FILES, transformAws } from './transform.ts';

export const awsImporter: Importer = {
  source: 'aws',
  title: 'AWS IAM',
  files: AWS_FILES,
  folders: ['access-keys', 'access-key-last-used'],
  transform: (files, options) => transformAws(files, options),
};
