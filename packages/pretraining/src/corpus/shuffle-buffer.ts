// A bounded shuffle buffer: holds up to `capacity` items; `take` removes a uniformly random one.
// Streaming order becomes random within a window of `capacity` items, with O(capacity) memory.
import { type RandomGenerator, randomInt } from '../random/seeded-rng.js';

export class ShuffleBuffer<T> {
  constructor(
    readonly capacity: number,
    readonly items: T[] = [],
  ) {}

  get full(): boolean {
    return this.items.length >= this.capacity;
  }

  get size(): number {
    return this.items.length;
  }

  push(item: T): void {
    this.items.push(item);
  }

  /** Remove and return a uniformly chosen item (undefined when empty). */
  take(rng: RandomGenerator): T | undefined {
    const n = this.items.length;
    if (n === 0) return undefined;
    const j = randomInt(rng, 0, n - 1);
    const item = this.items[j] as T;
    this.items[j] = this.items[n - 1] as T;
    this.items.pop();
    return item;
  }
}
