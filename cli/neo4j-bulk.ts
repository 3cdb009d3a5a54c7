// Writes the CSV files of a bulk import (engine/store/neo4j/bulk.ts) to a folder, chunk by chunk with the
// stream's back-pressure, so a graph of millions of rows never becomes one string in memory.
import { once } from 'node:events';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BulkPlan } from '../engine/store/neo4j/bulk.ts';

export async function writeBulkFiles(plan: BulkPlan, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (const file of plan.files) {
    writeFileSync(join(dir, `${file.name}-header.csv`), `${file.header}\n`);
    const out = createWriteStream(join(dir, `${file.name}.csv`));
    const failed = new Promise<never>((_, reject) => out.once('error', reject));
    failed.catch(() => {});
    for (const chunk of file.chunks()) {
      if (!out.write(chunk)) await Promise.race([once(out, 'drain'), failed]);
    }
    out.end();
    await Promise.race([once(out, 'finish'), failed]);
  }
}
