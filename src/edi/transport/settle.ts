import type { InboundFile } from './types.js';

/**
 * The settle check: a partner that writes straight to the final name (no temp name) leaves a
 * growing file in the folder. Listing twice, `settleMs` apart, and keeping only files whose
 * size and modification time did not change, keeps crossdock from reading half a file.
 *
 * It is a heuristic: a writer that stalls longer than `settleMs` still looks settled, and SFTP
 * reports modification times in whole seconds, so the size carries most of the signal. A file
 * skipped here is simply listed again at the next poll. `settleMs` 0 turns the check off (for
 * partners that upload under a temp name and rename).
 */
export async function listSettled(
  listOnce: () => Promise<InboundFile[]>,
  settleMs: number,
  sleep: (ms: number) => Promise<void>,
): Promise<InboundFile[]> {
  const first = await listOnce();
  if (settleMs <= 0 || first.length === 0) return first;
  await sleep(settleMs);
  const before = new Map(first.map((file) => [file.name, file]));
  const second = await listOnce();
  return second.filter((file) => {
    const earlier = before.get(file.name);
    return earlier !== undefined
      && earlier.size === file.size
      && earlier.modifiedAt.getTime() === file.modifiedAt.getTime();
  });
}
