// `blastmap schema`: the JSON Schema of the native format, for editors and external validators.
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { nativeJsonSchema } from '../../engine/format/native.ts';
import { json, type Io } from '../context.ts';

export function registerSchema(program: Command, io: Io): void {
  program
    .command('schema')
    .description('print the JSON Schema of the native format (JSON, YAML and NDJSON inventories)')
    .option('-o, --out <file>', 'write it to a file instead of standard output')
    .action((options: { out?: string }) => {
      const text = json(nativeJsonSchema());
      if (options.out) writeFileSync(options.out, text);
      else io.out(text);
    });
}
