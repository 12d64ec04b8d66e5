import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { acknowledgmentFor } from '../edi/acknowledge.js';
import { readInterchange, type InterchangeReading } from '../edi/read-interchange.js';
import { PartnerMappingProfile, partnerProfileProblems } from '../edi/sets/index.js';
import { parseX12WithErrors, writeX12, type Interchange, type X12Error } from '../edi/x12/index.js';

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
      const bytes = readOrFail(file);
      if (!bytes) return;
      const { interchanges, errors } = parseX12WithErrors(bytes);
      process.stdout.write(`${JSON.stringify({ interchanges }, null, 2)}\n`);
      if (errors.length > 0) {
        process.stderr.write(`${file} is not a valid X12 file:\n${errors.map((e) => `  [${e.code}] ${e.message}`).join('\n')}\n`);
        process.exitCode = 1;
      }
    });

  edi
    .command('map')
    .argument('<file>', 'an X12 interchange file')
    .option('--profile <file>', "the trading partner's mapping profile (YAML or JSON: item cross-references, units, locations)")
    .description('Print the canonical documents each transaction set maps to, or why a set is rejected')
    .action((file: string, options: { profile?: string }) => {
      const read = readAll(file, options.profile);
      if (!read) return;
      const out = read.readings.map(({ reading }) => ({
        interchange: reading.interchangeControlNumber,
        rejected: reading.rejected.map((e) => `[${e.code}] ${e.message}`),
        sets: reading.sets.map((s) => ({
          group: s.groupControlNumber, set: s.controlNumber, id: s.setId, status: s.status,
          ...(s.document ? { document: s.document } : {}),
          ...(s.warnings.length > 0 ? { warnings: s.warnings } : {}),
          ...(s.problems.length > 0 ? { problems: s.problems } : {}),
        })),
      }));
      process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
      reportProblems(file, read.errors, read.readings.map((r) => r.reading));
    });

  edi
    .command('ack')
    .argument('<file>', 'an X12 interchange file')
    .option('--profile <file>', "the trading partner's mapping profile (YAML or JSON)")
    .description('Print the 997 (or, for an interchange rejected whole, the TA1) crossdock would send for the file')
    .action((file: string, options: { profile?: string }) => {
      const read = readAll(file, options.profile);
      if (!read) return;
      let n = 1;
      for (const { interchange, reading } of read.readings) {
        // A dry run: the control numbers a partner would get come from the store's sequences.
        const ack = acknowledgmentFor(interchange, reading, { interchange: n, group: n, firstSet: 1 });
        n++;
        if (ack) process.stdout.write(writeX12(ack));
      }
      reportProblems(file, read.errors, read.readings.map((r) => r.reading));
    });
}

function readOrFail(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch (error) {
    process.stderr.write(`${file}: ${(error as Error).message}\n`);
    process.exitCode = 1;
    return undefined;
  }
}

/** The file's interchanges, each read against the profile (or a default profile named after the sender). */
function readAll(file: string, profileFile: string | undefined):
  { errors: readonly X12Error[]; readings: { interchange: Interchange; reading: InterchangeReading }[] } | undefined {
  const bytes = readOrFail(file);
  if (!bytes) return undefined;
  let profile: PartnerMappingProfile | undefined;
  if (profileFile) {
    const text = readOrFail(profileFile);
    if (!text) return undefined;
    const document: unknown = parseYaml(text.toString('utf8'));
    const problems = partnerProfileProblems(document);
    if (problems.length > 0) {
      process.stderr.write(`${profileFile} is not a valid partner profile:\n${problems.map((p) => `  ${p.pointer}: ${p.detail}`).join('\n')}\n`);
      process.exitCode = 1;
      return undefined;
    }
    profile = document as PartnerMappingProfile;
  }
  const { interchanges, errors } = parseX12WithErrors(bytes);
  const readings = interchanges.map((interchange) => ({
    interchange,
    reading: readInterchange(interchange, errors, profile ?? { partnerId: partnerIdOf(interchange) }),
  }));
  return { errors, readings };
}

/** A partner id from the sender's ISA06 when no profile names one (`ACME RETAIL` → `acme-retail`). */
function partnerIdOf(interchange: Interchange): string {
  const id = interchange.isa.senderId.trim().toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
  return id === '' ? 'partner' : id.slice(0, 64);
}

/** Errors and rejected sets on stderr, exit 1: the file would not be taken whole. */
function reportProblems(file: string, errors: readonly X12Error[], readings: readonly InterchangeReading[]): void {
  const rejectedSets = readings.flatMap((r) => r.sets.filter((s) => s.status === 'rejected'));
  if (errors.length === 0 && rejectedSets.length === 0) return;
  const lines = [
    ...errors.map((e) => `  [${e.code}] ${e.message}`),
    ...rejectedSets.flatMap((s) => s.problems.map((p) => `  set ${s.controlNumber} (${s.setId}), segment ${p.segmentPosition} (${p.segmentTag}${p.elementPosition ? `${String(p.elementPosition).padStart(2, '0')}` : ''}): ${p.message}`)),
  ];
  process.stderr.write(`${file} has problems:\n${lines.join('\n')}\n`);
  process.exitCode = 1;
}
