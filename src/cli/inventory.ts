import type { Command } from 'commander';
import { apiTarget, callApi, describeAnswer, reportingFailures, withApiOptions } from './api-request.js';
import { formatDuration } from './progress.js';

interface ReconciliationView {
  at: string;
  checked: number;
  findings: { orderId: string; finding: string; state: string | null; released: { sku: string; location: string; quantity: number }[] }[];
}

/** What each finding means for the person reading it. */
const MEANING: Record<string, string> = {
  leaked: 'the order holds nothing any more; its stock was released',
  expired: 'held past inventory.reservationHours; its stock was released',
  posted: 'already in the ERP; its reservation now waits for the ERP to allocate it',
};

/**
 * `crossdock inventory reconcile`: checks every stock reservation against its order now (it
 * also runs on a schedule) and shows what it corrected. One API call: it is done or not done,
 * so there is nothing to interrupt half-way.
 */
export function registerInventoryCommands(program: Command): void {
  const inventory = program.command('inventory').description('Stock and availability');
  withApiOptions(inventory.command('reconcile'))
    .description('Check reservations against their orders now and release what cancelled, rejected, closed or expired orders still hold')
    .option('--json', 'print the findings as JSON')
    .action(reportingFailures(async (opts: { url: string; apiKeyEnv?: string; json?: boolean }) => {
      const target = apiTarget(opts, process.env);
      const started = Date.now();
      process.stderr.write('reconciling reservations…\n');
      const answer = await callApi(target, 'POST', '/v1/inventory/reconciliation');
      if (answer.status !== 200) {
        process.stderr.write(`reconciliation failed: ${describeAnswer(answer)}\n`);
        process.exitCode = 1;
        return;
      }
      const report = answer.body as ReconciliationView;
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        return;
      }
      process.stdout.write(formatReconciliation(report, Date.now() - started));
    }));
}

/** The report as people read it: a summary line, then one block per finding. */
export function formatReconciliation(report: ReconciliationView, tookMs: number): string {
  const lines = [`Checked ${report.checked} order${report.checked === 1 ? '' : 's'} holding stock in ${formatDuration(tookMs)}: `
    + (report.findings.length === 0 ? 'every reservation matches its order.' : `${report.findings.length} corrected.`)];
  for (const f of report.findings) {
    lines.push(`  ${f.orderId}  ${f.finding}  (order ${f.state ?? 'unknown'}): ${MEANING[f.finding] ?? f.finding}`);
    for (const r of f.released) lines.push(`      released ${r.quantity} × ${r.sku} at ${r.location}`);
  }
  return `${lines.join('\n')}\n`;
}
