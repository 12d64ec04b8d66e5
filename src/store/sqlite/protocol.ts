import type { OperationName } from './ops/index.js';

/** Messages between the store proxy (main thread) and the writer thread. */
export interface OperationRequest {
  id: number;
  op: OperationName;
  args: unknown[];
}

export type OperationResult =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: { message: string; name: string; stack?: string } };

export interface WriterInit {
  file: string;
}

export interface CheckpointerInit {
  file: string;
  /** How often the background checkpoint runs. */
  intervalMs: number;
}
