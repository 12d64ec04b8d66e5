/**
 * Scenario (e) of `npm run bench`, also run by hand:
 *
 *   npx tsx bench/edi-parse.ts [sets=100000] [--json]
 *
 * A child process writes one interchange of `sets` 850 purchase orders (about 50 MB for
 * 100,000) to a temporary file; this process then reads the file once without parsing (the
 * baseline: what the disk and a stream cost) and once through `parseX12Stream`, and prints
 * throughput and peak resident memory, so the figure is the parser's alone (plus Node and tsx).
 * Target: peak RSS at most 200 MB. `--json` prints one JSON line for bench/run.ts.
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildTransactionSet, parseX12Stream, writeX12, type Delimiters, type IsaHeader, type SegmentData } from '../src/edi/x12/index.js';

const sets = Number(process.argv[2] && !process.argv[2].startsWith('--') ? process.argv[2] : 100_000);
const d: Delimiters = { element: '*', component: ':', segment: '~', lineEnding: '\n' };
const isa: IsaHeader = {
  authInfoQualifier: '00', authInfo: '', securityInfoQualifier: '00', securityInfo: '', senderQualifier: 'ZZ', senderId: 'BIGBUYER',
  receiverQualifier: 'ZZ', receiverId: 'CROSSDOCK', date: '240115', time: '1030', standardsId: 'U', version: '00401',
  controlNumber: '000000001', ackRequested: '0', usage: 'P', componentSeparator: ':',
};
const gs = { functionalId: 'PO', appSender: 'BIGBUYER', appReceiver: 'CROSSDOCK', date: '20240115', time: '1030', controlNumber: '1', agency: 'X', version: '004010' };

function purchaseOrder(n: number): SegmentData[] {
  const lines = 3 + (n % 4);
  const segments = [
    { tag: 'BEG', elements: ['00', 'SA', `PO-${n}`, undefined, '20240115'] },
    { tag: 'REF', elements: ['DP', String(n % 97)] },
    { tag: 'DTM', elements: ['002', '20240122'] },
    { tag: 'N1', elements: ['ST', `STORE ${n % 500}`, '92', String(n % 500).padStart(4, '0')] },
    { tag: 'N3', elements: [`${n % 900} MAIN STREET`] },
    { tag: 'N4', elements: ['SPRINGFIELD', 'IL', '62701', 'US'] },
  ];
  for (let i = 1; i <= lines; i++) {
    segments.push({ tag: 'PO1', elements: [String(i), String(i * 6), 'EA', '4.25', undefined, 'UP', `0123456789${String(i).padStart(2, '0')}`, 'VN', `WID-${i}`] });
    segments.push({ tag: 'PID', elements: ['F', undefined, undefined, undefined, `WIDGET NUMBER ${i}`] });
  }
  segments.push({ tag: 'CTT', elements: [String(lines)] });
  return [...buildTransactionSet('850', String(n).padStart(9, '0'), segments).segments];
}

async function generate(path: string): Promise<void> {
  const file = createWriteStream(path);
  const write = async (text: string): Promise<void> => {
    if (!file.write(text)) await once(file, 'drain');
  };
  // Write the envelope with writeX12 and splice the sets in, so the file never sits in memory.
  const empty = writeX12({ isa, groups: [{ ...gs, sets: [] }] }, d);
  const head = empty.slice(0, empty.indexOf('GE*'));
  await write(head);
  let batch = '';
  for (let n = 1; n <= sets; n++) {
    for (const s of purchaseOrder(n)) batch += `${s.tag}*${s.elements.join('*')}~\n`;
    if (batch.length > 1 << 16) { await write(batch); batch = ''; }
  }
  await write(`${batch}GE*${sets}*1~\nIEA*1*000000001~\n`);
  file.end();
  await once(file, 'finish');
}

if (process.argv[3] === '--generate') {
  await generate(process.argv[4]!);
  process.exit(0);
}

const dir = await mkdtemp(join(tmpdir(), 'x12-bench-'));
const path = join(dir, 'big-850.edi');
try {
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), String(sets), '--generate', path], { stdio: ['ignore', 'ignore', 'inherit'] });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`the generator exited with ${code}`);
  const bytes = (await stat(path)).size;
  // Baseline: the same file streamed with nothing done to it.
  const readStarted = process.hrtime.bigint();
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 16 })) void chunk;
  const readSeconds = Number(process.hrtime.bigint() - readStarted) / 1e9;
  const rssBefore = process.memoryUsage().rss;
  const started = process.hrtime.bigint();
  let count = 0;
  let errors = 0;
  let peakRss = rssBefore;
  for await (const event of parseX12Stream(createReadStream(path, { highWaterMark: 1 << 16 }))) {
    if (event.type === 'transactionSet') {
      count++;
      if (count % 5000 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
    } else if (event.type === 'error') {
      errors++;
      if (errors <= 3) console.error(event.error.message);
    }
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const mb = bytes / 1e6;
  const maxRss = process.resourceUsage().maxRSS / 1024;
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify({ bytes, sets: count, errors, readSeconds, parseSeconds: seconds, rssBeforeMb: rssBefore / 1e6, peakRssMb: peakRss / 1e6, maxRssMb: maxRss }));
  } else {
    console.log(`file ${mb.toFixed(1)} MB, ${count} sets, ${errors} errors; read alone ${(mb / readSeconds).toFixed(1)} MB/s`);
    console.log(`parsed in ${seconds.toFixed(2)} s: ${(mb / seconds).toFixed(1)} MB/s, ${Math.round(count / seconds)} sets/s`);
    console.log(`RSS before parse ${(rssBefore / 1e6).toFixed(0)} MB, sampled peak during parse ${(peakRss / 1e6).toFixed(0)} MB, process max RSS ${maxRss.toFixed(0)} MB`);
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
