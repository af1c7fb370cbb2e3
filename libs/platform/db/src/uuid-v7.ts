import { randomFillSync } from 'node:crypto';

// Random bytes are drawn 4 KiB at a time: asking the OS (through WebCrypto, as the uuid package
// does) for 16 bytes per id cost more than storing the row it named, at 20,000 ids a batch.
const pool = Buffer.alloc(4096);
let poolAt = pool.length;

// An id's 36 characters are written into one buffer and read out as one string: joining
// 20 pieces made a chain of intermediate strings and two buffer views per id, about 1 KB of
// garbage (2 KB per SendSms, 20 MB per 10,000-recipient batch) for a 36-character string.
const text = Buffer.alloc(36, '-');
/** The two ASCII hex digits of each byte value, at 2·value and 2·value + 1. */
const HEX = Buffer.from(Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0')).join(''), 'latin1');

let lastMs = -1;
let counter = 0;

/**
 * A UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, a 12-bit counter (rand_a, method 1
 * of §6.2: restarted at a random value below 2048 each millisecond, so ids made in one process
 * sort in the order they were made; a full counter borrows the next millisecond), then 62
 * random bits. Primary keys that sort by time keep btree inserts at the index's right edge.
 */
export function uuidv7(): string {
  let ms = Date.now();
  if (ms > lastMs) {
    lastMs = ms;
    counter = randomCounter();
  } else {
    ms = lastMs;
    if (++counter > 0xfff) {
      ms = ++lastMs;
      counter = randomCounter();
    }
  }
  const hi = Math.floor(ms / 0x1000000); // top 24 of the 48 bits
  const lo = ms & 0xffffff;
  hex(0, hi >>> 16);
  hex(2, hi >>> 8);
  hex(4, hi);
  hex(6, lo >>> 16);
  hex(9, lo >>> 8);
  hex(11, lo);
  hex(14, 0x70 | (counter >>> 8));
  hex(16, counter);
  const r = take(8);
  hex(19, 0x80 | (pool[r]! & 0x3f));
  hex(21, pool[r + 1]!);
  for (let i = 2; i < 8; i++) hex(20 + 2 * i, pool[r + i]!);
  return text.toString('latin1', 0, 36);
}

/** Writes the low byte of `value` as two hex digits at `at`. */
function hex(at: number, value: number): void {
  const byte = value & 0xff;
  text[at] = HEX[2 * byte]!;
  text[at + 1] = HEX[2 * byte + 1]!;
}

/** A fresh millisecond's counter: random, below 2048, so the millisecond has room for 2048 more. */
function randomCounter(): number {
  const r = take(2);
  return ((pool[r]! << 8) | pool[r + 1]!) & 0x7ff;
}

/** Where the next `n` random bytes start in the pool. */
function take(n: number): number {
  if (poolAt + n > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const at = poolAt;
  poolAt += n;
  return at;
}
