import { describe, expect, it } from 'vitest';
import { httpSettingsFromEnv } from './http-settings-from-env.ts';

const AUTH = 'a-long-enough-secret-token';

describe('httpSettingsFromEnv', () => {
  it('defaults to 127.0.0.1:8001 with sessions', () => {
    expect(httpSettingsFromEnv({ MCP_AUTH_TOKEN: AUTH })).toEqual({
      port: 8001,
      host: '127.0.0.1',
      authToken: AUTH,
      stateless: false,
      allowedOrigins: [],
      allowedHosts: [],
    });
  });
  it('reads MCP_PORT, MCP_STATELESS and the allow-lists; flags win', () => {
    const settings = httpSettingsFromEnv({
      MCP_AUTH_TOKEN: AUTH,
      MCP_PORT: '9100',
      MCP_STATELESS: '1',
      MCP_ALLOWED_ORIGINS: 'https://app.example, https://b.example',
      MCP_ALLOWED_HOSTS: 'mcp.internal',
    });
    expect(settings).toMatchObject({ port: 9100, stateless: true, allowedHosts: ['mcp.internal'] });
    expect(settings.allowedOrigins).toEqual(['https://app.example', 'https://b.example']);
    expect(
      httpSettingsFromEnv({ MCP_AUTH_TOKEN: AUTH, MCP_STATELESS: '1' }, { stateless: false }).stateless,
    ).toBe(false);
  });
  it('requires MCP_AUTH_TOKEN and a valid port', () => {
    expect(() => httpSettingsFromEnv({})).toThrow(
      expect.objectContaining({ code: 'MCP_MISSING_AUTH_TOKEN' }),
    );
    expect(() => httpSettingsFromEnv({ MCP_AUTH_TOKEN: 'short' })).toThrow(
      expect.objectContaining({ code: 'MCP_MISSING_AUTH_TOKEN' }),
    );
    expect(() => httpSettingsFromEnv({ MCP_AUTH_TOKEN: AUTH, MCP_PORT: 'eighty' })).toThrow(
      expect.objectContaining({ code: 'MCP_INVALID_SETTING' }),
    );
  });
});
