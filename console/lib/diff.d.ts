// Types for diff.js, so the TypeScript tests can import the browser module as it is served.
export interface Leaf { path: string; value: unknown }
export type LeafStatus = 'same' | 'moved' | 'changed' | 'dropped' | 'added';
export interface DiffRow extends Leaf { status: LeafStatus; links: string[] }
export interface DocumentDiff {
  left: DiffRow[];
  right: DiffRow[];
  summary: { linked: number; changed: number; added: number; dropped: number };
}
export function flatten(value: unknown, path?: string, out?: Leaf[]): Leaf[];
export function valueKey(value: unknown): string | undefined;
export function diffDocuments(left: unknown, right: unknown): DocumentDiff;
export function parseRaw(raw: unknown): unknown;
