// Runs one plugin call and prints its output: for the worker-guard spec, started under loaders.

import { PluginInstance } from '../runtime/plugin-instance.ts';
import { WAT, wasmOf } from './wat-fixtures.ts';

const module = await WebAssembly.compile(await wasmOf(WAT.echo));
const limits = { memoryPages: 4, timeoutMs: 5_000, maxInputBytes: 1_000, maxOutputBytes: 1_000 };
const instance = await PluginInstance.create({ module, limits });
const output = await instance.call('echo', new TextEncoder().encode(process.argv[2] ?? ''), {} as never);
process.stdout.write(`${new TextDecoder().decode(output)}\n`);
await instance.close();
