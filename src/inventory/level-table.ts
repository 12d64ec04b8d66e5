/**
 * Every SKU-location's figures, column by column. A million levels as objects would cost
 * several hundred bytes each; as typed-array columns they cost ~60 bytes plus their key, so the
 * engine holds a distributor's whole stock in memory and answers availability without a query.
 */
export interface LevelFigures {
  onHand: number;
  allocated: number;
  inTransit: number;
  /** Epoch ms, or NaN when not known. */
  expectedAt: number;
}

const GROWTH = 2;

export class LevelTable {
  private readonly index = new Map<string, number>();
  private readonly bySku = new Map<string, number[]>();
  private skuOf: string[] = [];
  private locationOf: string[] = [];
  private capacity: number;
  private used = 0;
  onHand: Float64Array;
  allocated: Float64Array;
  inTransit: Float64Array;
  expectedAt: Float64Array;
  /** Source time of the last absolute figures (epoch ms); -Infinity for a level only deltas touched. */
  asOf: Float64Array;
  /** Stock held by crossdock's reservations; kept by the reservation book. */
  reserved: Float64Array;

  constructor(initialCapacity = 1024) {
    this.capacity = initialCapacity;
    this.onHand = new Float64Array(initialCapacity);
    this.allocated = new Float64Array(initialCapacity);
    this.inTransit = new Float64Array(initialCapacity);
    this.expectedAt = new Float64Array(initialCapacity).fill(Number.NaN);
    this.asOf = new Float64Array(initialCapacity).fill(Number.NEGATIVE_INFINITY);
    this.reserved = new Float64Array(initialCapacity);
  }

  get size(): number {
    return this.used;
  }

  find(sku: string, location: string): number | undefined {
    return this.index.get(key(sku, location));
  }

  /** The level's row, created empty (all zero) when new. */
  row(sku: string, location: string): number {
    const k = key(sku, location);
    const found = this.index.get(k);
    if (found !== undefined) return found;
    if (this.used === this.capacity) this.grow();
    const i = this.used++;
    this.index.set(k, i);
    this.skuOf[i] = sku;
    this.locationOf[i] = location;
    const rows = this.bySku.get(sku);
    if (rows) rows.push(i);
    else this.bySku.set(sku, [i]);
    return i;
  }

  sku(i: number): string {
    return this.skuOf[i]!;
  }

  location(i: number): string {
    return this.locationOf[i]!;
  }

  /** The rows of one SKU, one per location (empty for a SKU no source has reported). */
  rowsOf(sku: string): readonly number[] {
    return this.bySku.get(sku) ?? EMPTY;
  }

  tracks(sku: string): boolean {
    return this.bySku.has(sku);
  }

  skus(): IterableIterator<string> {
    return this.bySku.keys();
  }

  figures(i: number): LevelFigures {
    return { onHand: this.onHand[i]!, allocated: this.allocated[i]!, inTransit: this.inTransit[i]!, expectedAt: this.expectedAt[i]! };
  }

  set(i: number, f: LevelFigures): void {
    this.onHand[i] = f.onHand;
    this.allocated[i] = f.allocated;
    this.inTransit[i] = f.inTransit;
    this.expectedAt[i] = f.expectedAt;
  }

  private grow(): void {
    this.capacity *= GROWTH;
    const extend = (a: Float64Array, fill: number) => {
      const b = new Float64Array(this.capacity).fill(fill, a.length);
      b.set(a);
      return b;
    };
    this.onHand = extend(this.onHand, 0);
    this.allocated = extend(this.allocated, 0);
    this.inTransit = extend(this.inTransit, 0);
    this.expectedAt = extend(this.expectedAt, Number.NaN);
    this.asOf = extend(this.asOf, Number.NEGATIVE_INFINITY);
    this.reserved = extend(this.reserved, 0);
  }
}

const EMPTY: readonly number[] = [];

function key(sku: string, location: string): string {
  return `${sku}\u0000${location}`;
}
