import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type DataPlaces, dataLines } from './start-banner.ts';

// The banner's Data lines: where each kind of data lives and how to start over, as README shows them.

const cwd = process.cwd();
const dataDir = join(cwd, '.airsuite');
const local: DataPlaces = {
  dataDir,
  emulatorDir: join(dataDir, 'emulator'),
  emulatorDirFromFlag: false,
  externalDatabase: false,
  realAirtable: false,
};
const readme = readFileSync(join(import.meta.dirname, '..', '..', '..', 'README.md'), 'utf8');

describe('the Data lines of the start banner', () => {
  it.each([
    ['on embedded defaults', local],
    ['with DATABASE_URL', { ...local, externalDatabase: true }],
  ])('%s read exactly as README shows them', (_, places) => {
    for (const line of dataLines(places)) expect(readme).toContain(`\n${line}\n`);
  });

  it('name an emulator directory given with --data, and say the start-over command needs it again', () => {
    const [where, how] = dataLines({ ...local, emulatorDir: '/srv/emulator', emulatorDirFromFlag: true });
    expect(where).toContain('/srv/emulator');
    expect(how).toContain('--data');
    // `airsuite reset` never leaves the data directory, so it cannot start this emulator over.
    expect(how).not.toContain('airsuite reset');
  });
});
