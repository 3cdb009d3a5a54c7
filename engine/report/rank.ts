// Text and markdown rendering of a ranking: every App (or Credential) by blast-radius score, riskiest
// first, as a table. Pure.
import type { Ranking } from '../analysis/rank.ts';
import { md } from './brief.ts';
import { plural, PLAIN, shortDate, type TextStyle } from './style.ts';

export interface RankRenderOptions {
  style?: TextStyle;
}

const round = (n: number): number => Math.round(n * 100) / 100;

const HEADERS = ['rank', 'score', 'reached', 'crown jewels', 'lateral platforms', 'name', 'kind', 'platform'] as const;

function headline(ranking: Ranking): string {
  const shown = ranking.entries.length < ranking.rankedCount ? `top ${ranking.entries.length} of ` : '';
  return `${shown}${plural(ranking.rankedCount, 'node')} of kind ${ranking.kinds.join(', ')} by blast-radius score`;
}

function rows(ranking: Ranking): string[][] {
  return ranking.entries.map((entry, i) => [
    String(i + 1), String(round(entry.score)), String(entry.reached), String(entry.crownJewels), String(entry.lateralPlatforms),
    entry.usable ? entry.name : `${entry.name} (unusable)`, entry.kind, entry.platform,
  ]);
}

export function renderRankText(ranking: Ranking, options: RankRenderOptions = {}): string {
  const s = options.style ?? PLAIN;
  const lines: string[] = [];
  lines.push(s.bold(`RANKING: ${headline(ranking)}`));
  lines.push(`as of ${shortDate(ranking.at)}${ranking.maxDepth !== null ? `, at most ${plural(ranking.maxDepth, 'hop')}` : ''}; score: docs/scoring.md`);
  lines.push('');
  if (ranking.entries.length === 0) {
    lines.push(`No ${ranking.kinds.join(' or ')} node in the graph.`);
    return `${lines.join('\n')}\n`;
  }
  const table = rows(ranking);
  const numeric = 5;
  const widths = HEADERS.map((header, c) => Math.max(header.length, ...table.map((row) => row[c]!.length)));
  const format = (cells: readonly string[]): string =>
    cells.map((cell, c) => (c < numeric ? cell.padStart(widths[c]!) : c === cells.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ');
  lines.push(s.dim(format(HEADERS)));
  table.forEach((row, i) => {
    const line = format(row);
    lines.push(ranking.entries[i]!.crownJewels > 0 ? s.red(line) : line);
  });
  return `${lines.join('\n')}\n`;
}

export function renderRankMarkdown(ranking: Ranking): string {
  const lines: string[] = [];
  lines.push(`# Ranking: ${md(headline(ranking))}`, '');
  lines.push(`As of ${ranking.at}${ranking.maxDepth !== null ? `, at most ${plural(ranking.maxDepth, 'hop')}` : ''}. Score: see docs/scoring.md.`, '');
  if (ranking.entries.length === 0) {
    lines.push(`No ${md(ranking.kinds.join(' or '))} node in the graph.`);
    return `${lines.join('\n')}\n`;
  }
  lines.push(`| ${HEADERS.join(' | ')} |`, '|---:|---:|---:|---:|---:|---|---|---|');
  for (const row of rows(ranking)) lines.push(`| ${row.map((cell, c) => (c >= 5 ? md(cell) : cell)).join(' | ')} |`);
  return `${lines.join('\n')}\n`;
}
