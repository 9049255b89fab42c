// Writes a real zip whose entries are stored (not compressed) runs of zero bytes, leaving holes in
// the file where the data goes: a 60 MB zip costs almost no disk, yet its central directory, sizes
// and CRCs are those of a genuine archive (unzip -t accepts it).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const ZEROS = Buffer.alloc(1 << 20);

function crcOfZeros(bytes: number): number {
  let crc = 0;
  for (let left = bytes; left > 0; left -= ZEROS.length)
    crc = zlib.crc32(ZEROS.subarray(0, Math.min(left, ZEROS.length)), crc);
  return crc;
}

export function writeSparseZip(file: string, entries: Record<string, number>): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const fd = fs.openSync(file, 'w');
  try {
    let at = 0;
    const central: Buffer[] = [];
    for (const [name, size] of Object.entries(entries)) {
      if (size >= 0xffffffff) throw new Error('entries of 4 GB or more need ZIP64');
      const nameBuf = Buffer.from(name, 'utf8');
      const crc = crcOfZeros(size);
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      local.writeUInt16LE(20, 4); // version needed
      local.writeUInt16LE(0x0800, 6); // UTF-8 names
      local.writeUInt16LE(0, 8); // stored
      local.writeUInt32LE(crc >>> 0, 14);
      local.writeUInt32LE(size, 18);
      local.writeUInt32LE(size, 22);
      local.writeUInt16LE(nameBuf.length, 26);
      fs.writeSync(fd, Buffer.concat([local, nameBuf]), 0, 30 + nameBuf.length, at);
      const cd = Buffer.alloc(46);
      cd.writeUInt32LE(0x02014b50, 0);
      cd.writeUInt16LE(20, 4);
      cd.writeUInt16LE(20, 6);
      cd.writeUInt16LE(0x0800, 8);
      cd.writeUInt32LE(crc >>> 0, 16);
      cd.writeUInt32LE(size, 20);
      cd.writeUInt32LE(size, 24);
      cd.writeUInt16LE(nameBuf.length, 28);
      cd.writeUInt32LE(at, 42);
      central.push(cd, nameBuf);
      at += 30 + nameBuf.length + size; // the data is a hole of zeros
    }
    const cdBuf = Buffer.concat(central);
    const eocd = Buffer.alloc(22);
    eocd.writeUInt32LE(0x06054b50, 0);
    eocd.writeUInt16LE(Object.keys(entries).length, 8);
    eocd.writeUInt16LE(Object.keys(entries).length, 10);
    eocd.writeUInt32LE(cdBuf.length, 12);
    eocd.writeUInt32LE(at, 16);
    const tail = Buffer.concat([cdBuf, eocd]);
    fs.writeSync(fd, tail, 0, tail.length, at);
  } finally {
    fs.closeSync(fd);
  }
}
