import type { AttemptReport } from '../connectors/capabilities.js';
import type { PolicyObserver } from '../protect/observer.js';
import type { PolicySnapshot, ProtectionSettings } from '../protect/types.js';
import type { TargetPause } from '../store/operations-types.js';

export type ConnectorKind = 'erp' | 'channel' | 'edi' | 'feed' | 'other';

/** Errors kept per target for the console. */
export const RECENT_ERRORS_KEPT = 20;

/**
 * Refusals the policy made itself (a pause, an open circuit, shutting down): the call never left,
 * so they say nothing about the target's health and are not counted as calls.
 */
const REFUSALS: ReadonlySet<string> = new Set(['target.paused', 'target.circuit-open', 'internal.shutting-down']);

export interface RecentError { at: number; code: string; message: string }

interface TargetHealth {
  ok: number;
  failed: number;
  /** Oldest first, at most RECENT_ERRORS_KEPT. */
  errors: RecentError[];
}

/**
 * What this process has seen of each target since it started: calls that succeeded and failed
 * and the last errors. Fed by every protection policy as its observer; never throws into a call.
 */
export class ConnectorHealth implements PolicyObserver {
  readonly #targets = new Map<string, TargetHealth>();

  constructor(private readonly now: () => number) {}

  onAttempt(report: AttemptReport): void {
    if (report.outcome === 'error' && REFUSALS.has(report.errorCode ?? '')) return;
    const health = this.#of(report.target);
    if (report.outcome === 'ok') {
      health.ok += 1;
      return;
    }
    health.failed += 1;
    health.errors.push({ at: this.now(), code: report.errorCode ?? 'unknown', message: report.errorMessage ?? '' });
    if (health.errors.length > RECENT_ERRORS_KEPT) health.errors.splice(0, health.errors.length - RECENT_ERRORS_KEPT);
  }

  /** Calls since start and the recent errors, newest first. */
  of(target: string): { calls: { ok: number; failed: number }; recentErrors: RecentError[] } {
    const health = this.#targets.get(target);
    return { calls: { ok: health?.ok ?? 0, failed: health?.failed ?? 0 }, recentErrors: [...(health?.errors ?? [])].reverse() };
  }

  targets(): string[] {
    return [...this.#targets.keys()];
  }

  #of(target: string): TargetHealth {
    let health = this.#targets.get(target);
    if (!health) {
      health = { ok: 0, failed: 0, errors: [] };
      this.#targets.set(target, health);
    }
    return health;
  }
}

/** The kind of system behind a target name (`erp`, `edi:acme`, `feed:3pl`, a channel instance id). */
export function kindOfTarget(target: string, channels: ReadonlySet<string>): ConnectorKind {
  const connector = target.split('.')[0] ?? target;
  if (connector === 'erp') return 'erp';
  if (connector.startsWith('edi:')) return 'edi';
  if (connector.startsWith('feed:')) return 'feed';
  if (channels.has(connector)) return 'channel';
  return 'other';
}

export interface ConnectorView {
  target: string;
  kind: ConnectorKind;
  circuit: PolicySnapshot['circuit'];
  inFlight: number;
  concurrency: number;
  ratePerSecond: number;
  /** Calls the shared rate budget would allow right now, when the policy reports it. */
  rateBudgetRemaining?: number;
  paused: { by: string; at: number; reason: string | null } | null;
  recentErrors: RecentError[];
  calls: { ok: number; failed: number };
}

export interface ConnectorSources {
  /** Targets configured (ERP, channels, partners, feeds), whether called yet or not. */
  configured: readonly string[];
  channels: ReadonlySet<string>;
  snapshots: readonly PolicySnapshot[];
  settingsFor: (target: string) => ProtectionSettings;
  pauses: readonly TargetPause[];
  health: ConnectorHealth;
}

/** Every target crossdock knows — configured, called, or paused — with its health, sorted by name. */
export function connectorViews(s: ConnectorSources): ConnectorView[] {
  const snapshots = new Map(s.snapshots.map((snap) => [snap.target, snap]));
  const pauses = new Map(s.pauses.map((p) => [p.target, p]));
  const targets = new Set([...s.configured, ...snapshots.keys(), ...pauses.keys(), ...s.health.targets()]);
  return [...targets].sort().map((target) => {
    const snap = snapshots.get(target);
    const settings = s.settingsFor(target);
    const pause = pauses.get(target);
    const remaining = (snap as { rateBudgetRemaining?: unknown } | undefined)?.rateBudgetRemaining;
    return {
      target,
      kind: kindOfTarget(target, s.channels),
      circuit: snap?.circuit ?? 'closed',
      inFlight: snap?.inFlight ?? 0,
      concurrency: settings.concurrency,
      ratePerSecond: settings.ratePerSecond,
      ...(typeof remaining === 'number' ? { rateBudgetRemaining: remaining } : {}),
      paused: pause ? { by: pause.pausedBy, at: pause.pausedAt, reason: pause.reason } : null,
      ...s.health.of(target),
    };
  });
}
