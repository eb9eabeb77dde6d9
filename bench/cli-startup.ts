import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'cli', 'bin', 'airsuite.js');

/** Milliseconds from spawning `airsuite emulator --seed sample` until it prints that it listens. */
export function cliStartupMs(): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, [bin, 'emulator', '--port', '0', '--seed', 'sample'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error('the emulator did not start within 20 s'));
    }, 20_000);
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (!output.includes('listening on')) return;
      clearTimeout(timer);
      const elapsed = performance.now() - started;
      child.once('exit', () => resolve(Math.round(elapsed)));
      child.kill('SIGTERM');
    });
    child.once('error', reject);
  });
}
