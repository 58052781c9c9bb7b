/**
 * A minimal POSIX tar (ustar) writer: regular files only, names up to 100 bytes. Enough for a data loader
 * to ship several generated files as one archive (Observable Framework extracts a member of `x.tar` when a
 * page asks for FileAttachment("x/<member>")). Tar rather than zip: no compression is wanted (each member
 * is served as its own file after extraction) and the format is a few lines to write, with no dependency.
 */
const BLOCK = 512;

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, "0") + "\0";
}

function header(name: string, size: number, mtime: number): Uint8Array {
  const bytes = Buffer.from(name, "utf8");
  if (bytes.length > 100) throw new Error(`tar member name longer than 100 bytes: ${name}`);
  const block = Buffer.alloc(BLOCK);
  bytes.copy(block, 0);
  block.write(octal(0o644, 8), 100, "ascii");
  block.write(octal(0, 8), 108, "ascii");
  block.write(octal(0, 8), 116, "ascii");
  block.write(octal(size, 12), 124, "ascii");
  block.write(octal(mtime, 12), 136, "ascii");
  block.write("        ", 148, "ascii");
  block.write("0", 156, "ascii");
  block.write("ustar\0", 257, "ascii");
  block.write("00", 263, "ascii");
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(octal(sum, 7) + " ", 148, "ascii");
  return block;
}

/**
 * The tar archive of these files, in order. `mtime` (seconds) is fixed by default so that the same members
 * give the same bytes.
 */
export function tarArchive(files: Iterable<[name: string, bytes: Uint8Array]>, {mtime = 0}: {mtime?: number} = {}): Buffer {
  const parts: Uint8Array[] = [];
  for (const [name, bytes] of files) {
    parts.push(header(name, bytes.length, mtime), bytes);
    const pad = (BLOCK - (bytes.length % BLOCK)) % BLOCK;
    if (pad) parts.push(new Uint8Array(pad));
  }
  parts.push(new Uint8Array(2 * BLOCK));
  return Buffer.concat(parts);
}
