import { describe, expect, it } from 'vitest';
import { DEFAULT_PLATFORM_URL, listenSettings } from './listen-settings.ts';

const KEY = { AIRSUITE_API_KEY: 'ask_live_x' };

describe('webhooks listen settings', () => {
  it('takes flags over the environment over the default, and splits --events', () => {
    expect(listenSettings({ forwardTo: 'http://localhost:3000/hooks' }, KEY)).toEqual({
      platformUrl: DEFAULT_PLATFORM_URL,
      apiKey: 'ask_live_x',
      forwardTo: 'http://localhost:3000/hooks',
    });
    const env = { ...KEY, AIRSUITE_PLATFORM_URL: 'http://platform.test:9000/' };
    expect(listenSettings({ forwardTo: 'http://localhost:3000/' }, env).platformUrl).toBe(
      'http://platform.test:9000',
    );
    expect(
      listenSettings(
        {
          forwardTo: 'http://localhost:3000/',
          platformUrl: 'https://flag.test',
          events: ' record.*, member.added ,',
        },
        env,
      ),
    ).toMatchObject({ platformUrl: 'https://flag.test', events: ['record.*', 'member.added'] });
  });

  it.each([
    [{}, KEY],
    [{ forwardTo: 'ftp://localhost/x' }, KEY],
    [{ forwardTo: 'http://localhost:3000/' }, {}],
    [{ forwardTo: 'http://localhost:3000/', workspace: 'ws_1' }, KEY],
    [{ forwardTo: 'http://localhost:3000/', events: ' , ' }, KEY],
    [{ forwardTo: 'http://localhost:3000/', platformUrl: 'not a url' }, KEY],
  ])('refuses %j with a setting error (exit 2)', (flags, env) => {
    expect(() => listenSettings(flags, env)).toThrow(
      expect.objectContaining({ code: 'CLI_INVALID_CONFIG', exitCode: 2 }),
    );
  });
});
