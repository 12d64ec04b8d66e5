import type { Config } from '../config/config.js';
import { startDemo, type DemoDriver } from './driver.js';
import { demoBanner, demoErpAdminUrl } from './setup.js';

export interface DemoCommandOptions {
  seed?: number;
  ratePerSecond?: number;
}

/** `crossdock start --demo`, once the app listens: the banner, then the demo driver. */
export function launchDemo(config: Config, baseUrl: string, options: DemoCommandOptions, write: (text: string) => void): DemoDriver {
  const seed = options.seed ?? 1;
  const ratePerSecond = options.ratePerSecond ?? 3;
  write(`${demoBanner({ baseUrl, dataDir: config.dataDir, ratePerSecond, seed })}\n`);
  return startDemo({
    baseUrl, erpAdminUrl: demoErpAdminUrl(config, baseUrl), seed, ratePerSecond,
    log: (line) => write(`${line}\n`),
  });
}
