import { describe, expect, it } from 'vitest';
import {
  createAddressPolicy,
  type ResolvedAddress,
  type ResolveHost,
  type UrlCheck,
} from './address-policy.ts';

/** A resolver the spec controls: each name answers what the table says. */
function dns(table: Record<string, string[]>): ResolveHost {
  return async (hostname) => {
    const answers = table[hostname];
    if (!answers) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return answers.map((address): ResolvedAddress => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

function refusal(check: UrlCheck) {
  if (check.ok) throw new Error(`expected a refusal, got ${JSON.stringify(check.target.addresses)}`);
  return check.refusal;
}

const world = dns({
  'hooks.example.com': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
  'internal.example.com': ['10.1.2.3'],
  'split.example.com': ['93.184.215.14', '192.168.1.10'],
  'metadata.example.com': ['169.254.169.254'],
  'v6private.example.com': ['fd12:3456::1'],
  localhost: ['127.0.0.1', '::1'],
});
const strict = createAddressPolicy({ resolve: world });

describe('webhook address policy: refused without an allow-list', () => {
  it.each([
    ['http://127.0.0.1:8080/hook', '127.0.0.1', '127.0.0.0/8'],
    ['http://localhost:8080/hook', '127.0.0.1', '127.0.0.0/8'],
    ['http://[::1]:8080/hook', '::1', '::1/128'],
    ['http://[::ffff:127.0.0.1]/hook', '127.0.0.1', '127.0.0.0/8'],
    ['http://0x7f000001/hook', '127.0.0.1', '127.0.0.0/8'],
    ['http://2130706433/hook', '127.0.0.1', '127.0.0.0/8'],
    ['http://017700000001/hook', '127.0.0.1', '127.0.0.0/8'],
    ['http://127.1/hook', '127.0.0.1', '127.0.0.0/8'],
    ['http://0/hook', '0.0.0.0', '0.0.0.0/8'],
    ['http://[::]/hook', '::', '::/128'],
    ['http://169.254.169.254/latest/meta-data', '169.254.169.254', '169.254.0.0/16'],
    ['http://10.0.0.1/', '10.0.0.1', '10.0.0.0/8'],
    ['http://172.20.1.1/', '172.20.1.1', '172.16.0.0/12'],
    ['http://192.168.0.1/', '192.168.0.1', '192.168.0.0/16'],
    ['http://100.64.0.1/', '100.64.0.1', '100.64.0.0/10'],
    ['http://224.0.0.251/', '224.0.0.251', '224.0.0.0/4'],
    ['http://255.255.255.255/', '255.255.255.255', '255.255.255.255/32'],
    ['http://240.0.0.1/', '240.0.0.1', '240.0.0.0/4'],
    ['http://192.0.2.10/', '192.0.2.10', '192.0.2.0/24'],
    ['http://198.51.100.7/', '198.51.100.7', '198.51.100.0/24'],
    ['http://203.0.113.9/', '203.0.113.9', '203.0.113.0/24'],
    ['http://198.18.0.1/', '198.18.0.1', '198.18.0.0/15'],
    ['http://[fe80::1]/', 'fe80::1', 'fe80::/10'],
    ['http://[fd00::1]/', 'fd00::1', 'fc00::/7'],
    ['http://[fec0::1]/', 'fec0::1', 'fec0::/10'],
    ['http://[ff02::1]/', 'ff02::1', 'ff00::/8'],
    ['http://[2001:db8::1]/', '2001:db8::1', '2001:db8::/32'],
    ['http://[::127.0.0.1]/', '::7f00:1', '::/96'],
    ['http://[64:ff9b::127.0.0.1]/', '64:ff9b::7f00:1', '127.0.0.0/8'], // NAT64 of loopback
    ['http://[64:ff9b::a9fe:a9fe]/', '64:ff9b::a9fe:a9fe', '169.254.0.0/16'], // NAT64 of the metadata address
    ['http://[2002:c0a8:0101::1]/', '2002:c0a8:101::1', '192.168.0.0/16'], // 6to4 of 192.168.1.1
    ['http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/', '2001:0:4136:e378:8000:63bf:80ff:fffe', '127.0.0.0/8'], // Teredo, client 127.0.0.1
    ['http://[5f00::1]/', '5f00::1', '2000::/3'], // not global unicast
  ])('%s is refused as %s (%s)', async (url, address, range) => {
    const refused = refusal(await strict.check(url));
    expect(refused).toMatchObject({ code: 'WEBHOOK_URL_FORBIDDEN_ADDRESS', address, range });
    expect(refused.message).toContain(address);
    expect(refused.message).toContain('allow-list');
  });

  it('refuses a name that resolves to a private address, saying which address and why', async () => {
    expect(refusal(await strict.check('https://internal.example.com/hook'))).toMatchObject({
      code: 'WEBHOOK_URL_FORBIDDEN_ADDRESS',
      address: '10.1.2.3',
      range: '10.0.0.0/8',
      reason: expect.stringContaining('private'),
      message: expect.stringContaining('"internal.example.com" resolves to 10.1.2.3'),
    });
    expect(refusal(await strict.check('https://metadata.example.com/'))).toMatchObject({
      address: '169.254.169.254',
    });
    expect(refusal(await strict.check('https://v6private.example.com/'))).toMatchObject({
      range: 'fc00::/7',
    });
  });

  it('refuses a name whose answers are public first and private second: any private answer refuses', async () => {
    expect(refusal(await strict.check('https://split.example.com/'))).toMatchObject({
      code: 'WEBHOOK_URL_FORBIDDEN_ADDRESS',
      address: '192.168.1.10',
    });
  });

  it('refuses other schemes, credentials in the URL, bad ports and non-URLs as invalid', async () => {
    const cases: Array<[string, string]> = [
      ['ftp://hooks.example.com/', 'WEBHOOK_URL_INVALID'],
      ['file:///etc/passwd', 'WEBHOOK_URL_INVALID'],
      ['gopher://hooks.example.com/', 'WEBHOOK_URL_INVALID'],
      ['javascript:alert(1)', 'WEBHOOK_URL_INVALID'],
      ['https://user:pass@hooks.example.com/', 'WEBHOOK_URL_INVALID'],
      ['https://token@hooks.example.com/', 'WEBHOOK_URL_INVALID'],
      ['/relative/path', 'WEBHOOK_URL_INVALID'],
      ['not a url', 'WEBHOOK_URL_INVALID'],
      [`https://hooks.example.com/${'a'.repeat(2100)}`, 'WEBHOOK_URL_INVALID'],
      ['https://hooks.example.com:25/', 'WEBHOOK_URL_FORBIDDEN_PORT'],
      ['http://hooks.example.com:22/', 'WEBHOOK_URL_FORBIDDEN_PORT'],
      ['http://hooks.example.com:6667/', 'WEBHOOK_URL_FORBIDDEN_PORT'],
      ['http://hooks.example.com:0/', 'WEBHOOK_URL_FORBIDDEN_PORT'],
    ];
    for (const [url, code] of cases) expect(refusal(await strict.check(url)).code, url).toBe(code);
  });

  it('reports a name that does not resolve as WEBHOOK_DNS_FAILED, and a resolver answer that is no address', async () => {
    expect(refusal(await strict.check('https://nowhere.example.com/'))).toMatchObject({
      code: 'WEBHOOK_DNS_FAILED',
      message: expect.stringContaining('ENOTFOUND'),
    });
    const empty = createAddressPolicy({ resolve: async () => [] });
    expect(refusal(await empty.check('https://hooks.example.com/')).code).toBe('WEBHOOK_DNS_FAILED');
    const odd = createAddressPolicy({ resolve: async () => [{ address: 'banana', family: 4 }] });
    expect(refusal(await odd.check('https://hooks.example.com/')).code).toBe('WEBHOOK_DNS_FAILED');
  });

  it('uses the system resolver by default: localhost is refused for what it really resolves to', async () => {
    const refused = refusal(await createAddressPolicy().check('http://localhost:9999/'));
    expect(refused.code).toBe('WEBHOOK_URL_FORBIDDEN_ADDRESS');
    expect(['127.0.0.1', '::1']).toContain(refused.address);
  });
});

describe('webhook address policy: what passes', () => {
  it('accepts public addresses and names, returning every approved address for the sender to pin', async () => {
    const check = await strict.check('https://hooks.example.com/webhooks?x=1');
    expect(check.ok && check.target).toMatchObject({
      hostname: 'hooks.example.com',
      port: 443,
      secure: true,
      addresses: [
        { address: '93.184.215.14', family: 4 },
        { address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 6 },
      ],
    });
    for (const url of ['http://1.1.1.1:8443/', 'http://[2606:4700::1111]/', 'http://[64:ff9b::101:101]/']) {
      expect((await strict.check(url)).ok, url).toBe(true);
    }
    expect((await strict.check('http://hooks.example.com/')).ok && 80).toBe(80);
  });

  it('lets an explicit allow-list reach local addresses (for development and tests), by CIDR, address or host', async () => {
    const byAddress = createAddressPolicy({ resolve: world, allow: ['127.0.0.1'] });
    expect((await byAddress.check('http://127.0.0.1:8080/')).ok).toBe(true);
    expect((await byAddress.check('http://[::ffff:127.0.0.1]:8080/')).ok).toBe(true);
    expect((await byAddress.check('http://0x7f000001:8080/')).ok).toBe(true);
    expect((await byAddress.check('http://127.0.0.2:8080/')).ok).toBe(false);
    expect((await byAddress.check('http://localhost:8080/')).ok).toBe(false); // ::1 is not allowed
    expect((await byAddress.check('http://10.1.2.3/')).ok).toBe(false);

    const byNetwork = createAddressPolicy({ resolve: world, allow: ['10.0.0.0/8', '::1'] });
    expect((await byNetwork.check('https://internal.example.com/')).ok).toBe(true);
    expect((await byNetwork.check('http://[::1]/')).ok).toBe(true);
    expect((await byNetwork.check('http://127.0.0.1/')).ok).toBe(false);

    const byHost = createAddressPolicy({ resolve: world, allow: ['LocalHost'] });
    const local = await byHost.check('http://localhost:3000/');
    expect(local.ok && local.target.addresses.map((a) => a.address)).toEqual(['127.0.0.1', '::1']);
    expect((await byHost.check('http://127.0.0.1:3000/')).ok).toBe(false);
  });

  it('refuses an allow-list entry it cannot read, once, when the policy is made', () => {
    for (const entry of ['http://localhost', '10.0.0.0/33', '*.example.com', '']) {
      expect(() => createAddressPolicy({ allow: [entry] }), entry).toThrow(
        expect.objectContaining({ code: 'WEBHOOK_CONFIG_INVALID' }),
      );
    }
  });

  it('still refuses bad ports and schemes for allow-listed hosts', async () => {
    const dev = createAddressPolicy({ allow: ['127.0.0.1'] });
    expect(refusal(await dev.check('http://127.0.0.1:25/')).code).toBe('WEBHOOK_URL_FORBIDDEN_PORT');
    expect(refusal(await dev.check('ws://127.0.0.1:8080/')).code).toBe('WEBHOOK_URL_INVALID');
  });
});
