import { CrossdockError } from '../../errors/crossdock-error.js';
import type { InboundFile } from './types.js';

/** How a file being written is named until it is complete (e.g. suffix `.part`). */
export interface TempNaming {
  readonly prefix: string;
  readonly suffix: string;
}

/** The name a file is written under before it is renamed to `name`. */
export function tempNameFor(name: string, temp: TempNaming): string {
  return `${temp.prefix}${name}${temp.suffix}`;
}

/**
 * Whether an inbound name is worth listing. Temp names are files still being uploaded (ours or
 * the partner's, by the same convention); hidden names are the other common upload convention
 * (`.name.tmp`, rsync's `.name.XXXXXX`) and also cover `.` and `..`.
 */
export function isListableName(name: string, temp: TempNaming): boolean {
  if (name.startsWith('.')) return false;
  if (temp.prefix !== '' && name.startsWith(temp.prefix)) return false;
  if (temp.suffix !== '' && name.endsWith(temp.suffix)) return false;
  return true;
}

/**
 * Refuses names that would escape the outbound folder or be skipped by our own listing rules.
 * A bad name comes from crossdock's runtime, not from the partner, hence a defect.
 */
export function assertPlainFileName(name: string, temp: TempNaming): void {
  const escapes = name.includes('/') || name.includes('\\') || name.includes('\0');
  if (name === '' || escapes || !isListableName(name, temp)) {
    throw new CrossdockError('internal.defect', `"${name}" is not a plain file name for the outbound folder`, {
      context: { name, tempPrefix: temp.prefix, tempSuffix: temp.suffix },
    });
  }
}

/** Oldest first, then by name, so files written in the same second keep a stable order. */
export function oldestFirst(a: InboundFile, b: InboundFile): number {
  const byTime = a.modifiedAt.getTime() - b.modifiedAt.getTime();
  if (byTime !== 0) return byTime;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/**
 * Names to try, in order, when moving `name` into a folder that may already hold a file of
 * that name: the name itself, then the name with a UTC timestamp before its extension
 * (`PO.x12` → `PO.20240501T101500123Z.x12`), then with a sequence (`…Z-2.x12`). Endless: the
 * caller stops at the first name that is free.
 */
export function* collisionFreeNames(name: string, at: Date): Generator<string> {
  yield name;
  const dot = name.lastIndexOf('.');
  // A leading dot is not an extension separator; listed names never start with one anyway.
  const [stem, extension] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  const stamp = at.toISOString().replace(/[-:.]/g, '');
  yield `${stem}.${stamp}${extension}`;
  for (let sequence = 2; ; sequence++) yield `${stem}.${stamp}-${sequence}${extension}`;
}
