import { describe, expect, it } from 'vitest';
import { ChatConfigError, chatSettingsFromEnv } from './chat-settings.ts';

describe('chat settings', () => {
  it('defaults to gemini-2.5-flash on port 8003 with no key', () => {
    expect(chatSettingsFromEnv({})).toEqual({
      port: 8003,
      host: '127.0.0.1',
      geminiModel: 'gemini-2.5-flash',
      limits: {},
    });
  });

  it('reads the key, model, base URL and run bounds', () => {
    const settings = chatSettingsFromEnv({
      GEMINI_API_KEY: ' key ',
      GEMINI_MODEL: 'gemini-2.5-pro',
      GEMINI_BASE_URL: 'http://127.0.0.1:9999/',
      CHAT_MAX_STEPS: '4',
      CHAT_MAX_SECONDS: '30',
      CHAT_BULK_WRITE_THRESHOLD: '25',
    });
    expect(settings).toMatchObject({
      geminiApiKey: 'key',
      geminiModel: 'gemini-2.5-pro',
      geminiBaseUrl: 'http://127.0.0.1:9999',
      limits: { maxSteps: 4, maxWallClockMs: 30_000, bulkWriteThreshold: 25 },
    });
  });

  it.each([
    { GEMINI_BASE_URL: 'ftp://x' },
    { GEMINI_MODEL: 'bad model' },
    { CHAT_MAX_STEPS: '0' },
    { ORCHESTRATOR_PORT: '70000' },
  ])('refuses %j with CHAT_INVALID_SETTING', (env) => {
    expect.assertions(2);
    try {
      chatSettingsFromEnv(env);
    } catch (error) {
      expect(error).toBeInstanceOf(ChatConfigError);
      expect((error as ChatConfigError).code).toBe('CHAT_INVALID_SETTING');
    }
  });
});
