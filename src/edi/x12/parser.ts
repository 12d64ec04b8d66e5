import { EnvelopeReader } from './envelope.js';
import { X12ParseError, type X12Error } from './errors.js';
import type { X12Event } from './events.js';
import { SegmentSplitter, type SplitterOptions, type Token } from './tokenizer.js';
import type { FunctionalGroup, Interchange, TransactionSet } from './types.js';

export type ParseOptions = SplitterOptions;

/**
 * Reads X12 from a stream and yields events one at a time (see `X12Event`): each transaction set
 * is yielded whole as soon as its SE is read and then forgotten, so memory stays at one set plus
 * one chunk however large the file. Pulling is the back-pressure: the next chunk is read only
 * when the consumer asks for the next event.
 *
 * Never throws for bad data: every problem is an `error` event and the stream always ends with
 * its envelopes closed. Separators are read from each ISA.
 *
 * @example
 * for await (const event of parseX12Stream(fs.createReadStream(path))) {
 *   if (event.type === 'transactionSet' && event.errors.length === 0) await accept(event.set);
 * }
 */
export async function* parseX12Stream(
  source: AsyncIterable<Uint8Array | string> | NodeJS.ReadableStream,
  options: ParseOptions = {},
): AsyncGenerator<X12Event, void, undefined> {
  const events: X12Event[] = [];
  const reader = new EnvelopeReader((event) => events.push(event));
  const splitter = new SegmentSplitter(options);
  const tokens: Token[] = [];
  for await (const chunk of source as AsyncIterable<Uint8Array | string>) {
    splitter.push(chunk, tokens);
    for (const token of tokens) reader.token(token);
    tokens.length = 0;
    yield* events;
    events.length = 0;
  }
  splitter.end(tokens);
  for (const token of tokens) reader.token(token);
  reader.end(splitter.here());
  yield* events;
}

/** Everything read from an input held in memory, with every problem found. */
export interface X12ParseResult {
  readonly interchanges: Interchange[];
  readonly errors: X12Error[];
}

/** Reads a whole input held in memory into the model, without throwing for bad data. */
export function parseX12WithErrors(input: string | Uint8Array, options: ParseOptions = {}): X12ParseResult {
  const builder = new ModelBuilder();
  const reader = new EnvelopeReader((event) => builder.add(event));
  const splitter = new SegmentSplitter(options);
  const tokens: Token[] = [];
  splitter.push(input, tokens);
  splitter.end(tokens);
  for (const token of tokens) reader.token(token);
  reader.end(splitter.here());
  return { interchanges: builder.interchanges, errors: builder.errors };
}

/**
 * Reads a whole input held in memory (tests, CLI, small files) into the model.
 * @throws X12ParseError listing every problem, when there is any.
 */
export function parseX12(input: string | Uint8Array, options: ParseOptions = {}): Interchange[] {
  const { interchanges, errors } = parseX12WithErrors(input, options);
  if (errors.length > 0) throw new X12ParseError(errors);
  return interchanges;
}

/** Folds events back into the nested model. */
class ModelBuilder {
  readonly interchanges: Interchange[] = [];
  readonly errors: X12Error[] = [];
  private interchange: { -readonly [K in keyof Interchange]: Interchange[K] } | undefined;
  private group: { -readonly [K in keyof FunctionalGroup]: FunctionalGroup[K] } | undefined;
  private sets: TransactionSet[] = [];

  add(event: X12Event): void {
    switch (event.type) {
      case 'interchangeStart':
        this.interchange = { isa: event.isa, delimiters: event.delimiters, ta1: [], groups: [] };
        this.interchanges.push(this.interchange);
        return;
      case 'ta1':
        this.interchange!.ta1 = [...this.interchange!.ta1, event.segment];
        return;
      case 'groupStart':
        this.sets = [];
        this.group = { ...event.group, sets: this.sets };
        this.interchange!.groups = [...this.interchange!.groups, this.group];
        return;
      case 'transactionSet':
        this.sets.push(event.set);
        return;
      case 'groupEnd':
        if (event.ge !== undefined) this.group!.ge = event.ge;
        this.group = undefined;
        return;
      case 'interchangeEnd':
        if (event.iea !== undefined) this.interchange!.iea = event.iea;
        this.interchange = undefined;
        return;
      case 'error':
        this.errors.push(event.error);
        return;
    }
  }
}
