import { describe, expect, it } from 'vitest';
import { Semaphore } from './semaphore.js';

describe('Semaphore', () => {
  it('admits up to its capacity and queues the rest', async () => {
    const semaphore = new Semaphore(2);
    await semaphore.acquire();
    await semaphore.acquire();
    let third = false;
    void semaphore.acquire().then(() => (third = true));
    await Promise.resolve();
    expect({ active: semaphore.active, waiting: semaphore.waiting, third }).toEqual({ active: 2, waiting: 1, third: false });
  });

  it('hands a released slot to the longest waiter first', async () => {
    const semaphore = new Semaphore(1);
    const release = await semaphore.acquire();
    const order: string[] = [];
    const a = semaphore.acquire().then((r) => (order.push('a'), r));
    const b = semaphore.acquire().then((r) => (order.push('b'), r));
    release();
    (await a)();
    (await b)();
    expect(order).toEqual(['a', 'b']);
    expect(semaphore.active).toBe(0);
  });

  it('releases once even when the release function is called twice', async () => {
    const semaphore = new Semaphore(1);
    const release = await semaphore.acquire();
    release();
    release();
    expect(semaphore.active).toBe(0);
    await semaphore.acquire();
    expect(semaphore.active).toBe(1);
  });

  it('drops a waiter whose signal aborts, rejecting with the abort reason', async () => {
    const semaphore = new Semaphore(1);
    await semaphore.acquire();
    const controller = new AbortController();
    const waiting = semaphore.acquire(controller.signal);
    controller.abort(new Error('shutting down'));
    await expect(waiting).rejects.toThrow('shutting down');
    expect(semaphore.waiting).toBe(0);
  });
});
