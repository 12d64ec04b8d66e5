/**
 * X12 EDI core: a streaming reader with envelope validation, and a writer. See README.md.
 * Everything other modules may use is exported here; other files are internal.
 */
export type {
  Delimiters, FunctionalGroup, GeTrailer, GroupHeader, IeaTrailer, Interchange, IsaHeader, Segment, SegmentData,
  SegmentPosition, TransactionSet,
} from './types.js';
export { components, elementAt, repetitions } from './delimiters.js';
export {
  X12_ERRORS, X12ParseError, X12WriteError,
  type Ak3Note, type Ak4Note, type X12Error, type X12ErrorCode, type X12ErrorLevel, type X12WriteErrorCode,
} from './errors.js';
export type {
  ErrorEvent, GroupEndEvent, GroupStartEvent, InterchangeEndEvent, InterchangeStartEvent, Ta1Event, TransactionSetEvent, X12Event,
} from './events.js';
export { parseX12, parseX12Stream, parseX12WithErrors, type ParseOptions, type X12ParseResult } from './parser.js';
export {
  buildTransactionSet, writeX12, type BuildOptions, type ElementInput, type GroupInput, type InterchangeInput, type SegmentInput,
} from './writer.js';
