import { randomFillSync } from 'node:crypto';

// Random bytes are drawn 4 KiB at a time: asking the OS (through WebCrypto, as the uuid package
// does) for 16 bytes per id cost more than storing the row it named, at 20,000 ids a batch.
const pool = Buffer.alloc(4096);
let poolAt = pool.length;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

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
    counter = randomBytes(2).readUInt16BE(0) & 0x7ff;
  } else {
    ms = lastMs;
    if (++counter > 0xfff) {
      ms = ++lastMs;
      counter = randomBytes(2).readUInt16BE(0) & 0x7ff;
    }
  }
  const rand = randomBytes(8);
  const b6 = 0x70 | (counter >>> 8);
  const b7 = counter & 0xff;
  const b8 = 0x80 | (rand[0]! & 0x3f);
  const hi = Math.floor(ms / 0x1000000); // top 24 of the 48 bits
  const lo = ms & 0xffffff;
  return (
    HEX[(hi >>> 16) & 0xff]! + HEX[(hi >>> 8) & 0xff]! + HEX[hi & 0xff]! + HEX[(lo >>> 16) & 0xff]! + '-' +
    HEX[(lo >>> 8) & 0xff]! + HEX[lo & 0xff]! + '-' + HEX[b6]! + HEX[b7]! + '-' + HEX[b8]! + HEX[rand[1]!]! + '-' +
    HEX[rand[2]!]! + HEX[rand[3]!]! + HEX[rand[4]!]! + HEX[rand[5]!]! + HEX[rand[6]!]! + HEX[rand[7]!]!
  );
}

function randomBytes(n: number): Buffer {
  if (poolAt + n > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const bytes = pool.subarray(poolAt, poolAt + n);
  poolAt += n;
  return bytes;
}
