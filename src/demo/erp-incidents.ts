import type { DemoHttp } from './http.js';
import type { Incident } from './schedule.js';

/**
 * Makes the sandbox ERP misbehave on cue through its admin API: a slowdown raises its latency
 * (a long tail past crossdock's call timeout, so some calls time out and are retried), an
 * outage answers 503 until it ends. Each start returns how to undo it, so a demo stopped in the
 * middle of an incident leaves a well-behaved ERP behind.
 */

/** Latency of a slow ERP: half the calls take over a second, one in a hundred 12 s. */
export const SLOW_LATENCY = { p50: 1_200, p99: 12_000 } as const;

export interface ActiveIncident {
  incident: Incident;
  /** Puts the ERP back as it was. Safe to call twice. */
  end(): Promise<void>;
}

export async function startIncident(
  http: DemoHttp, erpAdminUrl: string, incident: Incident, slowLatency: unknown = SLOW_LATENCY,
): Promise<ActiveIncident | string> {
  if (incident.kind === 'outage') {
    const res = await http('POST', `${erpAdminUrl}/outage`, { body: { durationMs: incident.durationMs } });
    if (res.status !== 201) return `could not start the ERP outage: ${res.status} ${JSON.stringify(res.body)}`;
    return endingOnce(incident, () => http('DELETE', `${erpAdminUrl}/outage`));
  }
  const before = await http('GET', `${erpAdminUrl}/knobs`);
  const latencyMs = (before.body as { knobs?: { latencyMs?: unknown } } | undefined)?.knobs?.latencyMs;
  if (before.status !== 200 || latencyMs === undefined) return `could not read the ERP's knobs: ${before.status}`;
  const res = await http('PUT', `${erpAdminUrl}/knobs`, { body: { latencyMs: slowLatency } });
  if (res.status !== 200) return `could not slow the ERP down: ${res.status} ${JSON.stringify(res.body)}`;
  return endingOnce(incident, () => http('PUT', `${erpAdminUrl}/knobs`, { body: { latencyMs } }));
}

/** An incident whose end puts the ERP back once, however often it is asked to. */
function endingOnce(incident: Incident, restore: () => Promise<unknown>): ActiveIncident {
  let ended = false;
  return {
    incident,
    async end() {
      if (ended) return;
      ended = true;
      await restore();
    },
  };
}

export function describeIncident(incident: Incident): string {
  const seconds = Math.round(incident.durationMs / 1000);
  return incident.kind === 'outage'
    ? `ERP outage for ${seconds} s: calls answer 503, crossdock retries and its circuit breaker opens; intake keeps accepting`
    : `ERP slowdown for ${seconds} s: latency p50 ${SLOW_LATENCY.p50 / 1000} s, p99 ${SLOW_LATENCY.p99 / 1000} s; watch retries and the backlog`;
}
