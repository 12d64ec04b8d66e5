import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { REPO_ROOT } from '../support/children.js';

export interface EdiParseResult {
  sets: number;
  bytes: number;
  errors: number;
  /** The file streamed with nothing done to it: the baseline of the same run. */
  readMbPerSec: number;
  parseMbPerSec: number;
  setsPerSec: number;
  /** Peak resident memory of the parsing process (Node and tsx included), MB. */
  peakRssMb: number;
  targets: { peakRssMb: number };
  met: { peakRss: boolean; noErrors: boolean };
}

/** A 50 MB interchange streamed through the parser in about this much memory at most. */
export const EDI_PARSE_TARGETS = { peakRssMb: 200 } as const;

/**
 * Scenario (e): one interchange of `sets` 850s (about 50 MB for 100,000) written by a child,
 * then read by another child once plainly and once through `parseX12Stream`
 * (`bench/edi-parse.ts`), so the memory figure is the parser's process alone.
 */
export async function runEdiParse(options: { sets: number; log?: (line: string) => void }): Promise<EdiParseResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/edi-parse.ts', String(options.sets), '--json'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`bench/edi-parse.ts exited with ${code}`);
  const r = JSON.parse(out.trim().split('\n').at(-1)!) as {
    bytes: number; sets: number; errors: number; readSeconds: number; parseSeconds: number; peakRssMb: number; maxRssMb: number;
  };
  const mb = r.bytes / 1e6;
  const peakRssMb = Math.max(r.peakRssMb, r.maxRssMb);
  const result: EdiParseResult = {
    sets: r.sets, bytes: r.bytes, errors: r.errors, readMbPerSec: mb / r.readSeconds, parseMbPerSec: mb / r.parseSeconds,
    setsPerSec: r.sets / r.parseSeconds, peakRssMb, targets: { ...EDI_PARSE_TARGETS },
    met: { peakRss: peakRssMb <= EDI_PARSE_TARGETS.peakRssMb, noErrors: r.errors === 0 && r.sets === options.sets },
  };
  options.log?.(`edi parse: ${mb.toFixed(1)} MB, ${r.sets} sets in ${r.parseSeconds.toFixed(2)} s = ${result.parseMbPerSec.toFixed(1)} MB/s (read alone ${result.readMbPerSec.toFixed(0)} MB/s), peak RSS ${peakRssMb.toFixed(0)} MB`);
  return result;
}
