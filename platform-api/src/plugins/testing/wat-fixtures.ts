import wabtInit from 'wabt';

/**
 * Plugins written in WebAssembly text, compiled with wabt when a spec runs (no binaries in the
 * repository): the smallest honest Extism plugins, and hostile ones, each doing one thing.
 */

const KERNEL = `
  (import "extism:host/env" "input_offset" (func $input_offset (result i64)))
  (import "extism:host/env" "input_length" (func $input_length (result i64)))
  (import "extism:host/env" "output_set" (func $output_set (param i64 i64)))
  (import "extism:host/env" "length" (func $length (param i64) (result i64)))
  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
  (import "extism:host/env" "error_set" (func $error_set (param i64)))`;

/** A module with the kernel imports, `host` imports from extism:host/user, and `body` functions. */
function plugin(body: string, options: { host?: string[]; memory?: string } = {}): string {
  const host = (options.host ?? [])
    .map((name) => `(import "extism:host/user" "${name}" (func $${name} (param i64) (result i64)))`)
    .join('\n  ');
  return `(module${KERNEL}
  ${host}
  (memory (export "memory") ${options.memory ?? '1 4'})
  ${body})`;
}

export const WAT = {
  /** `noop` returns nothing; `echo` returns its input. */
  echo: plugin(`
  (func (export "noop") (result i32) i32.const 0)
  (func (export "echo") (result i32)
    (call $output_set (call $input_offset) (call $input_length)) i32.const 0)`),

  /** `relay_<host function>`: passes its input to the host function and returns the answer. */
  relay: (hostFunctions: string[]) =>
    plugin(
      hostFunctions
        .map(
          (name) => `
  (func (export "relay_${name}") (result i32) (local $answer i64)
    (local.set $answer (call $${name} (call $input_offset)))
    (call $output_set (local.get $answer) (call $length (local.get $answer))) i32.const 0)`,
        )
        .join(''),
      { host: hostFunctions },
    ),

  /** Never returns. */
  spin: plugin(`
  (func (export "spin") (result i32) (loop $forever (br $forever)) i32.const 0)
  (func (export "noop") (result i32) i32.const 0)`),

  /** Grows its memory a page at a time until the engine refuses, then traps. */
  memoryBomb: plugin(`
  (func (export "bomb") (result i32)
    (loop $more (br_if $more (i32.ne (memory.grow (i32.const 1)) (i32.const -1))))
    unreachable)
  (func (export "noop") (result i32) i32.const 0)`),

  /** Returns a block of as many bytes as its input says (a decimal-free u64 read: input length × 1 MiB). */
  hugeOutput: plugin(`
  (func (export "huge") (result i32) (local $block i64)
    (local.set $block (call $alloc (i64.mul (call $input_length) (i64.const 1048576))))
    (call $output_set (local.get $block) (call $length (local.get $block))) i32.const 0)
  (func (export "noop") (result i32) i32.const 0)`),

  /** `on_event`: stores the event it is given under the key "last" (kv_set of {key, value: event}). */
  storeEvent: `(module
  (import "extism:host/env" "input_length" (func $input_length (result i64)))
  (import "extism:host/env" "input_load_u8" (func $input_load_u8 (param i64) (result i32)))
  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
  (import "extism:host/env" "store_u8" (func $store_u8 (param i64 i32)))
  (import "extism:host/user" "kv_set" (func $kv_set (param i64) (result i64)))
  (memory (export "memory") 1 2)
  (data (i32.const 0) "{\\22key\\22:\\22last\\22,\\22value\\22:")
  (func (export "on_event") (result i32) (local $n i64) (local $block i64) (local $i i64)
    (local.set $n (call $input_length))
    (local.set $block (call $alloc (i64.add (local.get $n) (i64.const 23))))
    (block $done (loop $copy
      (br_if $done (i64.ge_u (local.get $i) (i64.const 22)))
      (call $store_u8 (i64.add (local.get $block) (local.get $i)) (i32.load8_u (i32.wrap_i64 (local.get $i))))
      (local.set $i (i64.add (local.get $i) (i64.const 1)))
      (br $copy)))
    (local.set $i (i64.const 0))
    (block $done (loop $copy
      (br_if $done (i64.ge_u (local.get $i) (local.get $n)))
      (call $store_u8 (i64.add (local.get $block) (i64.add (local.get $i) (i64.const 22))) (call $input_load_u8 (local.get $i)))
      (local.set $i (i64.add (local.get $i) (i64.const 1)))
      (br $copy)))
    (call $store_u8 (i64.add (local.get $block) (i64.add (local.get $n) (i64.const 22))) (i32.const 125))
    (drop (call $kv_set (local.get $block)))
    i32.const 0))`,

  /** `crash` traps on every call; `noop` is the healthy call after it. */
  crash: plugin(`
  (func (export "crash") (result i32) unreachable)
  (func (export "noop") (result i32) i32.const 0)`),

  /** Reports its input as its own error (Extism's error_set): a failure, not a crash. */
  fail: plugin(`
  (func (export "fail") (result i32) (call $error_set (call $input_offset)) i32.const 1)`),

  /** Declares no memory maximum: refused at publish time. */
  unboundedMemory: plugin(`(func (export "noop") (result i32) i32.const 0)`, { memory: '1' }),

  /** Imports a host function that does not exist. */
  unknownImport: `(module
  (import "extism:host/user" "read_files" (func $read (param i64) (result i64)))
  (memory (export "memory") 1 2)
  (func (export "noop") (result i32) i32.const 0))`,
} as const;

/**
 * Answers every call with `text` (a before_write decision, say): the bytes sit in a data
 * segment and are copied into a kernel block for output_set.
 */
export function constantAnswer(exportName: string, text: string): string {
  const bytes = new TextEncoder().encode(text);
  const escaped = [...bytes].map((b) => `\\${b.toString(16).padStart(2, '0')}`).join('');
  return `(module
  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
  (import "extism:host/env" "store_u8" (func $store_u8 (param i64 i32)))
  (import "extism:host/env" "output_set" (func $output_set (param i64 i64)))
  (memory (export "memory") 1 2)
  (data (i32.const 0) "${escaped}")
  (func (export "${exportName}") (result i32) (local $block i64) (local $i i32)
    (local.set $block (call $alloc (i64.const ${bytes.length})))
    (block $done (loop $copy
      (br_if $done (i32.ge_u (local.get $i) (i32.const ${bytes.length})))
      (call $store_u8 (i64.add (local.get $block) (i64.extend_i32_u (local.get $i))) (i32.load8_u (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $copy)))
    (call $output_set (local.get $block) (i64.const ${bytes.length})) i32.const 0))`;
}

let wabt: Awaited<ReturnType<typeof wabtInit>> | undefined;

/** Compiles WebAssembly text to a binary. */
export async function wasmOf(source: string): Promise<Uint8Array> {
  wabt ??= await wabtInit();
  const module = wabt.parseWat('fixture.wat', source);
  try {
    module.validate();
    return new Uint8Array(module.toBinary({}).buffer);
  } finally {
    module.destroy();
  }
}
