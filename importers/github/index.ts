// The GitHub importer: `blastmap import github <folder>` reads a folder of GitHub REST API responses for one
// organization (docs/importers/github.md) and turns them into repositories, apps, tokens, keys and Actions secrets.
import type { Importer } from '../common/importer.ts';
import { GITHUB_FILES, transformGithub } from './transform.ts';

export const githubImporter: Importer = {
  source: 'github',
  title: 'GitHub',
  files: GITHUB_FILES,
  folders: ['repos', 'teams', 'installations', 'actions', 'apps', 'personal-access-tokens'],
  transform: transformGithub,
};
