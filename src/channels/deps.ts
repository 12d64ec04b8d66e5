import type { Clock } from '../lib/clock.js';
import type { Logger } from '../observability/logger.js';
import { createHttpClient } from '../protect/http-client.js';
import type { PolicyRegistry } from '../protect/registry.js';
import type { ChannelDeps } from './types.js';

/**
 * The dependencies of one channel instance: HTTP clients and policies named after the instance
 * (`shopify-us`, and `shopify-us.<sub>` for a second API of the same channel), so each channel
 * instance has its own rate budget, breaker and concurrency cap, shared by every process.
 */
export function channelDeps(instance: string, options: { policies: PolicyRegistry; clock: Clock; logger: Logger; fetch?: typeof fetch }): ChannelDeps {
  const targetName = (sub?: string) => (sub ? `${instance}.${sub}` : instance);
  return {
    http: (request) => {
      const target = targetName(request.target);
      return createHttpClient({
        baseUrl: request.baseUrl,
        target,
        policy: options.policies.get(target),
        clock: options.clock,
        ...(request.defaultHeaders ? { defaultHeaders: request.defaultHeaders } : {}),
        ...(request.retryAfter ? { retryAfter: request.retryAfter } : {}),
        ...(options.fetch ? { fetch: options.fetch } : {}),
      });
    },
    policy: (sub) => options.policies.get(targetName(sub)),
    clock: options.clock,
    logger: options.logger,
  };
}
