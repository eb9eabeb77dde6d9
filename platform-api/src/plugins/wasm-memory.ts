/**
 * The linear memories a Wasm binary declares, read from its import and memory sections.
 * `WebAssembly.Module` tells a memory's name but not its limits, and Node's worker
 * `resourceLimits` do not cover Wasm memory, so a plugin's memory cap is the maximum its
 * module declares: a module must declare one, within the workspace's limit (the engine then
 * refuses `memory.grow` past it). A reader of two sections, not a Wasm parser: no npm package
 * exposes limits without decoding the whole module (wabt's reader builds its text form).
 */

export interface WasmMemory {
  /** Declared in the module (false: imported from the host). */
  defined: boolean;
  minPages: number;
  /** Absent when the module sets no maximum. */
  maxPages?: number;
  shared: boolean;
  memory64: boolean;
}

const IMPORT_SECTION = 2;
const MEMORY_SECTION = 5;

class Reader {
  offset = 0;
  constructor(private readonly bytes: Uint8Array) {}

  get done(): boolean {
    return this.offset >= this.bytes.length;
  }

  byte(): number {
    if (this.offset >= this.bytes.length) throw new RangeError('unexpected end of the module');
    return this.bytes[this.offset++] as number;
  }

  /** An unsigned LEB128 of up to 64 bits, as a number (limits above 2^53 are refused anyway). */
  u(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      const b = this.byte();
      result += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) return result;
      scale *= 128;
    }
    throw new RangeError('malformed LEB128 number');
  }

  skip(n: number): void {
    if (this.offset + n > this.bytes.length) throw new RangeError('unexpected end of the module');
    this.offset += n;
  }

  limits(defined: boolean): WasmMemory {
    const flags = this.byte();
    const minPages = this.u();
    const maxPages = flags & 0x01 ? this.u() : undefined;
    return { defined, minPages, maxPages, shared: (flags & 0x02) !== 0, memory64: (flags & 0x04) !== 0 };
  }
}

function readImports(r: Reader, end: number, out: WasmMemory[]): void {
  const count = r.u();
  for (let i = 0; i < count && r.offset < end; i++) {
    r.skip(r.u());
    r.skip(r.u());
    const kind = r.byte();
    if (kind === 0x00) r.u();
    else if (kind === 0x01) {
      r.byte();
      r.limits(false);
    } else if (kind === 0x02) out.push(r.limits(false));
    else if (kind === 0x03) r.skip(2);
    else if (kind === 0x04) {
      r.byte();
      r.u();
    } else throw new RangeError(`unknown import kind ${kind}`);
  }
}

/** The module's memories, imported ones first; throws RangeError on a truncated binary. */
export function wasmMemories(bytes: Uint8Array): WasmMemory[] {
  const r = new Reader(bytes);
  r.skip(8);
  const memories: WasmMemory[] = [];
  while (!r.done) {
    const id = r.byte();
    const size = r.u();
    const end = r.offset + size;
    if (id === IMPORT_SECTION) readImports(r, end, memories);
    else if (id === MEMORY_SECTION) {
      const count = r.u();
      for (let i = 0; i < count; i++) memories.push(r.limits(true));
    }
    r.offset = end;
  }
  return memories;
}
