import { createProtectionPolicy, type ProtectionPolicyDeps } from './policy.js';
import { DEFAULT_PROTECTION, type PolicySnapshot, type ProtectionPolicy, type ProtectionSettings } from './types.js';

/** Per-target overrides, as read from the configuration file (`protection.<target>`). */
export type ProtectionOverrides = Record<string, Partial<ProtectionSettings>>;

/**
 * One protection policy per target for the whole process: every connector talking to the same
 * target shares its breaker and concurrency cap, and every process shares its rate budget.
 * Policies are created on first use from `DEFAULT_PROTECTION` merged with the target's overrides.
 */
export class PolicyRegistry {
  readonly #overrides: ProtectionOverrides;
  readonly #deps: ProtectionPolicyDeps;
  readonly #policies = new Map<string, ProtectionPolicy>();

  constructor(overrides: ProtectionOverrides, deps: ProtectionPolicyDeps) {
    this.#overrides = overrides;
    this.#deps = deps;
  }

  /** The settings `target` runs under: the defaults with its overrides on top. */
  settingsFor(target: string): ProtectionSettings {
    const overrides = Object.hasOwn(this.#overrides, target) ? this.#overrides[target] : undefined;
    const settings: ProtectionSettings = { ...DEFAULT_PROTECTION };
    for (const [name, value] of Object.entries(overrides ?? {}) as [keyof ProtectionSettings, number | undefined][]) {
      // An override present but undefined (an empty YAML key) keeps the default.
      if (value !== undefined) settings[name] = value;
    }
    return settings;
  }

  /** The policy for `target`, created on first call and the same object afterwards. */
  get(target: string): ProtectionPolicy {
    let policy = this.#policies.get(target);
    if (policy === undefined) {
      policy = createProtectionPolicy(target, this.settingsFor(target), this.#deps);
      this.#policies.set(target, policy);
    }
    return policy;
  }

  /** The state of every policy created so far, for the console and `/metrics`. */
  snapshots(): PolicySnapshot[] {
    return [...this.#policies.values()].map((policy) => policy.snapshot());
  }
}
