import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { launcherFor } from './launcher.ts';

const CHECKOUT_BIN = fileURLToPath(new URL('../bin/airsuite.js', import.meta.url));
const NODE = '/opt/node/bin/node';

describe('the launcher an MCP client is given', () => {
  let prefix = '';
  afterEach(() => rmSync(prefix, { recursive: true, force: true }));

  /** What `npm install -g --prefix <prefix>` lays out: a bin link to the package's bin, no src/. */
  function installedLayout(): string {
    prefix = mkdtempSync(join(tmpdir(), 'airsuite-launcher-'));
    const pkg = join(prefix, 'lib', 'node_modules', '@airsuite', 'cli');
    mkdirSync(join(pkg, 'bin'), { recursive: true });
    mkdirSync(join(pkg, 'dist'));
    writeFileSync(join(pkg, 'bin', 'airsuite.js'), '');
    mkdirSync(join(prefix, 'bin'));
    symlinkSync(join(pkg, 'bin', 'airsuite.js'), join(prefix, 'bin', 'airsuite'));
    return join(prefix, 'bin', 'airsuite');
  }

  it('is the installed airsuite binary, by absolute path, when run as the installed command', () => {
    const bin = installedLayout();
    expect(launcherFor(bin, NODE)).toEqual({ command: bin, args: [] });
  });

  it("is node with the checkout's bin (absolute, symlinks resolved) from a checkout, even through node_modules/.bin", () => {
    expect(launcherFor(CHECKOUT_BIN, NODE)).toEqual({ command: NODE, args: [CHECKOUT_BIN] });
    prefix = mkdtempSync(join(tmpdir(), 'airsuite-launcher-'));
    symlinkSync(CHECKOUT_BIN, join(prefix, 'airsuite'));
    expect(launcherFor(join(prefix, 'airsuite'), NODE)).toEqual({ command: NODE, args: [CHECKOUT_BIN] });
  });

  it('is node with the script for any script run with node, made absolute', () => {
    const bin = installedLayout();
    const script = join(prefix, 'lib', 'node_modules', '@airsuite', 'cli', 'bin', 'airsuite.js');
    expect(launcherFor(script, NODE)).toEqual({ command: NODE, args: [script] });
    expect(launcherFor(bin, NODE).command).not.toBe('npx');
  });
});
