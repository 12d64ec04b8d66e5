import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectExactlyOnce, messageStatusCounts, waitFor } from '../support/exactly-once.js';
import { manyOrders } from '../support/orders.js';
import {
  freePort, startCrossdock, startSandboxErp, tempDir, writeConfigFile, type CrossdockProcess, type SandboxErpProcess,
} from '../support/processes.js';

/**
 * crossdock killed outright (SIGKILL: no drain, no lease release, no flush) while it is taking
 * orders and posting them to the ERP, then started again on the same data directory. Nothing it
 * answered 202 for may be lost, and nothing may reach the ERP twice: jobs the dead process held
 * are taken over when their leases expire, and each looks its order up in the ERP before creating.
 * The sandbox ERP runs as its own process, so it lives through the kill with what it received.
 */

const ORDERS = 1_000;
const CREATE = 'POST /api/sales-orders';

const dataDir = tempDir('sigkill');
const erpDir = tempDir('sigkill-erp');
let erp: SandboxErpProcess | undefined;
let crossdock: CrossdockProcess | undefined;

beforeAll(async () => {
  // Latency keeps ERP calls in flight at the moment of the kill; no lost responses here.
  erp = await startSandboxErp({ dataDir: erpDir.path, knobs: { latencyMs: { min: 5, max: 20 }, loseResponseRate: 0 } });
});
afterAll(async () => {
  try {
    await crossdock?.process.stop();
    await erp?.process.stop();
  } finally {
    dataDir.remove();
    erpDir.remove();
  }
});

interface Stats {
  calls: Record<string, number>;
  responses: Record<string, number>;
}
async function erpStats(): Promise<Stats> {
  return (await (await fetch(`${erp!.apiBaseUrl}/stats`)).json()) as Stats;
}

/** Creates the ERP has received but not answered yet (no random errors or lost responses in this test). */
function inFlightCreates(stats: Stats): number {
  const r = stats.responses;
  return (stats.calls[CREATE] ?? 0) - (r['201'] ?? 0) - (r['409'] ?? 0) - (r['422'] ?? 0) - (r.dropped ?? 0);
}

async function putKnobs(patch: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${erp!.apiBaseUrl}/knobs`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(patch) });
  expect(res.status).toBe(200);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function submit(baseUrl: string, body: unknown): Promise<{ status: number; orderId?: string; replayed: boolean }> {
  const res = await fetch(`${baseUrl}/v1/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await res.json()) as { orderId?: string };
  return { status: res.status, ...(json.orderId ? { orderId: json.orderId } : {}), replayed: res.headers.get('idempotent-replayed') === 'true' };
}

describe('crossdock killed with SIGKILL in the middle of a run', () => {
  it('loses no accepted order and posts each exactly once after a restart on the same data directory', async () => {
    const port = await freePort();
    const configFile = writeConfigFile(dataDir.path, {
      // Short leases, so the jobs the killed process held are taken over within seconds.
      worker: { leaseMs: 2_000, pollMs: 20, backoffMs: 200, maxBackoffMs: 2_000 },
      protection: { erp: { ratePerSecond: 1_000, breakerHalfOpenAfterMs: 500 } },
    });
    const start = () => startCrossdock({ port, dataDir: dataDir.path, configFile, erpUrl: erp!.apiBaseUrl });
    crossdock = await start();
    const firstUrl = crossdock.url;

    // Eight clients post until the kill; a request cut off by it gets no id. Past 600 answers they
    // slow to a trickle, so that orders are still being sent when the kill comes however slow
    // the worker is on a busy machine.
    const bodies = manyOrders(ORDERS, 'KILL');
    const ids: (string | undefined)[] = Array.from({ length: ORDERS }, () => undefined);
    let answered = 0;
    let killed = false;
    let next = 0;
    async function lane(): Promise<void> {
      while (!killed && next < ORDERS) {
        const index = next++;
        try {
          const answer = await submit(firstUrl, bodies[index]);
          if (answer.status === 202) {
            ids[index] = answer.orderId;
            answered++;
          }
        } catch {
          // Connection refused or reset by the kill: the client will send it again.
        }
        await sleep(answered < 600 ? 10 : 200);
      }
    }
    const posting = Promise.all(Array.from({ length: 8 }, lane));

    // Kill once part of the orders are accepted and the worker is busy posting them, at a moment
    // when creates are in flight: the ERP is slowed down just before, so that it holds several
    // creates it has received and not answered when crossdock dies.
    const creates0 = (await erpStats()).calls[CREATE] ?? 0;
    await waitFor(async () => ({ answered, creates: ((await erpStats()).calls[CREATE] ?? 0) - creates0 }),
      (v) => v.answered >= 300 && v.creates >= 100, 90_000, 25);
    await putKnobs({ latencyMs: 1_000 });
    const creatingAtKill = (await waitFor(async () => inFlightCreates(await erpStats()), (n) => n >= 2, 20_000, 10));
    const exit = await crossdock.process.kill('SIGKILL');
    killed = true;
    await putKnobs({ latencyMs: { min: 5, max: 20 } });
    await posting;
    const acceptedAtKill = answered;
    // Let the slow calls of the dead process end at the ERP, so the count below is final.
    await sleep(1_100);
    const erpOrdersAtKill = ((await (await fetch(`${erp!.apiBaseUrl}/orders`)).json()) as { count: number }).count;
    expect(exit.signal).toBe('SIGKILL');
    expect(acceptedAtKill, 'the kill came before every order was sent').toBeLessThan(ORDERS);
    expect(erpOrdersAtKill, 'the kill came while accepted orders were still waiting for the ERP').toBeLessThan(acceptedAtKill);
    expect(erpOrdersAtKill).toBeGreaterThan(0);
    expect(creatingAtKill).toBeGreaterThanOrEqual(2);

    crossdock = await start();
    expect(crossdock.url).toBe(firstUrl);
    const url = crossdock.url;

    // Orders answered 202 before the kill are still known: resending one gives back its id.
    const acceptedBefore = ids.map((id, index) => ({ id, index })).filter((x): x is { id: string; index: number } => x.id !== undefined);
    for (const { id, index } of acceptedBefore.filter((_, i) => i % 50 === 0)) {
      expect(await submit(url, bodies[index])).toEqual({ status: 202, orderId: id, replayed: true });
    }

    // The client sends again what it got no answer for (cut off by the kill, or not sent yet).
    const missing = ids.map((id, index) => (id === undefined ? index : -1)).filter((index) => index >= 0);
    expect(missing.length).toBe(ORDERS - acceptedAtKill);
    for (let i = 0; i < missing.length; i += 16) {
      await Promise.all(missing.slice(i, i + 16).map(async (index) => {
        const answer = await submit(url, bodies[index]);
        expect(answer.status).toBe(202);
        ids[index] = answer.orderId;
      }));
    }
    const accepted = ids.map((id) => id!);
    expect(new Set(accepted).size).toBe(ORDERS);

    const counts = await waitFor(
      () => messageStatusCounts(url),
      (c) => (c.delivered ?? 0) + (c.held ?? 0) + (c.failed ?? 0) + (c.rejected ?? 0) >= ORDERS,
      120_000, 1_000,
    );
    expect(counts, 'every order delivered; none held, failed or rejected').toEqual({ delivered: ORDERS });
    const letters = (await (await fetch(`${url}/v1/dead-letters`)).json()) as { items: unknown[] };
    expect(letters.items).toEqual([]);
    await expectExactlyOnce({ accepted, erpAdminUrl: erp!.apiBaseUrl, crossdockUrl: url });
    // The sandbox answers 409 to a second create under the same reference, which would hide a
    // double post from the check above: the restarted process must have looked before creating.
    const stats = await erpStats();
    expect(stats.responses['201'], 'sales orders created').toBe(ORDERS);
    expect(stats.responses['409'] ?? 0, 'creates of an order the ERP already had').toBe(0);
  }, 180_000);
});
