import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseX12WithErrors } from '../edi/x12/index.js';

/**
 * `crossdock edi …`: look into an X12 file the way crossdock reads it, without running anything.
 * `parse` prints the interchanges as JSON (envelopes, groups, sets, segments with positions);
 * invalid input prints every error, naming control numbers and positions, and exits 1.
 */
export function registerEdiCommands(program: Command): void {
  const edi = program.command('edi').description('Read X12 files the way crossdock does (dry runs)');

  edi
    .command('parse')
    .argument('<file>', 'an X12 interchange file')
    .description('Print the interchange as JSON: envelopes, groups, transaction sets, segments with positions')
    .action((file: string) => {
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch (error) {
        process.stderr.write(`${file}: ${(error as Error).message}\n`);
        process.exitCode = 1;
        return;
      }
      const { interchanges, errors } = parseX12WithErrors(bytes);
      process.stdout.write(`${JSON.stringify({ interchanges }, null, 2)}\n`);
      if (errors.length > 0) {
        process.stderr.write(`${file} is not a valid X12 file:\n${errors.map((e) => `  [${e.code}] ${e.message}`).join('\n')}\n`);
        process.exitCode = 1;
      }
    });
}
