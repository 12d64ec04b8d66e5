import { describe, expect, it } from 'vitest';
import { int, pick, randomInterchange, seeded, withoutPositions, type Random } from './fixtures/generate.js';
import { parseX12WithErrors } from './parser.js';
import { writeX12 } from './writer.js';

/** Property tests with a seeded generator: a failure prints its seed, and the seed replays it. */
const RUNS = 300;
const BASE_SEED = 0x5eed;

function valid(rand: Random): string {
  const count = int(rand, 1, 3);
  return writeX12(Array.from({ length: count }, (_, i) => randomInterchange(rand, String(100000000 + i))));
}

describe('round trips', () => {
  it('parses what it writes back to the same model, for random separators and contents', () => {
    for (let run = 0; run < RUNS; run++) {
      const seed = BASE_SEED + run;
      const rand = seeded(seed);
      const interchanges = Array.from({ length: int(rand, 1, 3) }, (_, i) => randomInterchange(rand, String(200000000 + i)));
      const text = writeX12(interchanges);
      const { interchanges: back, errors } = parseX12WithErrors(Buffer.from(text, 'utf8'));
      expect(errors, `seed ${seed}`).toEqual([]);
      expect(withoutPositions(back), `seed ${seed}`).toEqual(withoutPositions(interchanges));
      expect(writeX12(back), `seed ${seed}`).toBe(text);
    }
  });
});

/** Damage that always leaves a structural trace. */
const breaking: Record<string, (text: string, rand: Random) => string> = {
  truncate: (text, rand) => text.slice(0, int(rand, 0, text.trimEnd().length - 1)),
  'drop a segment': (text, rand) => {
    const d = parseX12WithErrors(text).interchanges[0]!.delimiters;
    const segments = text.split(d.segment);
    segments.splice(int(rand, 0, segments.length - 2), 1);
    return segments.join(d.segment);
  },
  'random garbage': (_text, rand) => Array.from({ length: int(rand, 0, 3000) }, () => String.fromCharCode(int(rand, 0, 255))).join(''),
  'a broken ISA at a segment start': (text, rand) => {
    const d = parseX12WithErrors(text).interchanges[0]!.delimiters;
    const segments = text.split(d.segment);
    segments.splice(int(rand, 1, segments.length - 1), 0, `ISA${'*'.repeat(int(rand, 0, 20))}`);
    return segments.join(d.segment);
  },
};

/** Damage that may or may not leave valid X12: it only has to end, without throwing. */
const anything: Record<string, (text: string, rand: Random) => string> = {
  'flip bytes': (text, rand) => {
    const chars = [...text];
    for (let i = int(rand, 1, 5); i > 0; i--) chars[int(rand, 0, chars.length - 1)] = pick(rand, ['*', '~', ':', '^', '\n', '\r', 'A', '9', '\x00', 'S', 'E', 'I']);
    return chars.join('');
  },
  'repeat a slice': (text, rand) => {
    const a = int(rand, 0, text.length - 1);
    const b = int(rand, a, text.length);
    return text.slice(0, b) + text.slice(a);
  },
};

describe('damaged input', () => {
  it.each(Object.entries(breaking))('always reports an error after: %s', (_name, mutate) => {
    const started = performance.now();
    for (let run = 0; run < RUNS; run++) {
      const seed = BASE_SEED * 7 + run;
      const rand = seeded(seed);
      const damaged = mutate(valid(rand), rand);
      const { errors } = parseX12WithErrors(damaged);
      expect(errors.length, `seed ${seed}: ${JSON.stringify(damaged.slice(0, 300))}`).toBeGreaterThan(0);
      for (const error of errors) expect(error.message, `seed ${seed}`).toMatch(/\(segment \d+/);
    }
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it.each(Object.entries(anything))('never throws or hangs after: %s', async (_name, mutate) => {
    const started = performance.now();
    for (let run = 0; run < RUNS; run++) {
      const seed = BASE_SEED * 13 + run;
      const rand = seeded(seed);
      const damaged = mutate(valid(rand), rand);
      expect(() => parseX12WithErrors(damaged), `seed ${seed}`).not.toThrow();
    }
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('ends on a megabyte of random bytes fed as a stream', async () => {
    const rand = seeded(99);
    const bytes = Buffer.from(Array.from({ length: 1 << 20 }, () => int(rand, 0, 255)));
    const { parseX12Stream } = await import('./parser.js');
    async function* source(): AsyncGenerator<Buffer> {
      for (let i = 0; i < bytes.length; i += 4096) yield bytes.subarray(i, i + 4096);
    }
    const started = performance.now();
    let errors = 0;
    for await (const event of parseX12Stream(source())) if (event.type === 'error') errors++;
    expect(errors).toBeGreaterThan(0);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe('chunk boundaries', () => {
  it('gives the same events for any chunking of valid and damaged input', async () => {
    const { parseX12Stream } = await import('./parser.js');
    const read = async (text: string, rand: Random | undefined): Promise<unknown[]> => {
      const bytes = Buffer.from(text, 'utf8');
      async function* source(): AsyncGenerator<Buffer> {
        let i = 0;
        while (i < bytes.length) {
          const size = rand === undefined ? bytes.length : int(rand, 1, 40);
          yield bytes.subarray(i, i + size);
          i += size;
        }
      }
      const events: unknown[] = [];
      for await (const event of parseX12Stream(source())) events.push(event);
      return events;
    };
    for (let run = 0; run < 200; run++) {
      const seed = BASE_SEED * 17 + run;
      const rand = seeded(seed);
      const mutations = [...Object.values(breaking), ...Object.values(anything), (t: string) => t];
      const text = pick(rand, mutations)(valid(rand), rand);
      expect(await read(text, rand), `seed ${seed}`).toEqual(await read(text, undefined));
    }
  });
});
