import type { LookupAddress } from 'node:dns';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blockedAddressReason, checkHost, ipv6Bytes, pinnedLookup } from '../../../src/sources/ssrf.js';

describe('blockedAddressReason', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'metadata'],
    ['169.254.10.1', 'link-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.254', 'carrier-grade NAT'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['fc00::1', 'private'],
    ['fdff:1234::1', 'private'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['ff02::1', 'multicast'],
    ['fd00:ec2::254', 'metadata'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:a9fe:a9fe', 'metadata'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['2002:c0a8:0101::1', 'private'],
  ])('refuses %s (%s)', (ip, kind) => {
    expect(blockedAddressReason(ip)).toContain(kind);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '172.32.0.1',
    '172.15.255.255',
    '100.128.0.1',
    '169.255.0.1',
    '2606:4700::1111',
    '::ffff:8.8.8.8',
    '2002:0808:0808::1',
  ])('allows the public address %s', (ip) => {
    expect(blockedAddressReason(ip)).toBeUndefined();
  });

  it('treats an IPv4 address and its IPv4-mapped IPv6 form alike', () => {
    fc.assert(
      fc.property(fc.ipV4(), (ip) => {
        expect(blockedAddressReason(`::ffff:${ip}`)).toBe(blockedAddressReason(ip));
      }),
    );
  });

  it('parses every IPv6 form to 16 bytes', () => {
    fc.assert(
      fc.property(fc.ipV6(), (ip) => {
        expect(ipv6Bytes(ip)).toHaveLength(16);
      }),
    );
  });
});

const resolver = (table: Record<string, string[]>) => async (host: string) => {
  const list = table[host];
  if (!list) throw Object.assign(new Error('nx'), { code: 'ENOTFOUND' });
  return list.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 }));
};

describe('checkHost', () => {
  const resolveAll = resolver({
    'feed.example': ['93.184.216.34'],
    'mixed.example': ['93.184.216.34', '10.1.2.3'],
    localhost: ['127.0.0.1'],
  });

  it('accepts a public host and returns its checked addresses', async () => {
    expect(await checkHost('feed.example', { allowHosts: [], resolveAll })).toEqual({
      ok: true,
      addresses: [{ address: '93.184.216.34', family: 4 }],
    });
  });

  it('refuses a name that resolves to loopback, and any name with one private answer', async () => {
    expect(await checkHost('localhost', { allowHosts: [], resolveAll })).toMatchObject({ ok: false });
    expect(await checkHost('mixed.example', { allowHosts: [], resolveAll })).toMatchObject({ ok: false });
  });

  it('refuses the metadata host name without resolving it', async () => {
    const never = async () => {
      throw new Error('must not resolve');
    };
    expect(await checkHost('metadata.google.internal', { allowHosts: [], resolveAll: never })).toMatchObject({
      ok: false,
      reason: 'cloud metadata host',
    });
  });

  it('lets allowHosts exempt a host name or an address', async () => {
    expect(await checkHost('localhost', { allowHosts: ['LOCALHOST'], resolveAll })).toMatchObject({
      ok: true,
    });
    expect(await checkHost('localhost', { allowHosts: ['127.0.0.1'], resolveAll })).toMatchObject({
      ok: true,
    });
    expect(await checkHost('127.0.0.1', { allowHosts: ['127.0.0.1'], resolveAll })).toMatchObject({
      ok: true,
    });
    expect(await checkHost('10.0.0.1', { allowHosts: ['127.0.0.1'], resolveAll })).toMatchObject({
      ok: false,
    });
  });

  it('refuses a name that does not resolve', async () => {
    expect(await checkHost('nowhere.example', { allowHosts: [], resolveAll })).toMatchObject({
      ok: false,
      unresolved: true,
    });
    expect(await checkHost('localhost', { allowHosts: [], resolveAll })).not.toHaveProperty('unresolved');
  });

  it('gives up on a lookup that outlives the signal', async () => {
    const never = () => new Promise<never>(() => {});
    const signal = AbortSignal.abort(new Error('deadline'));
    await expect(checkHost('slow.example', { allowHosts: [], resolveAll: never, signal })).rejects.toThrow(
      'deadline',
    );
  });
});

describe('pinnedLookup', () => {
  const lookup = pinnedLookup(new Map([['feed.example', [{ address: '93.184.216.34', family: 4 }]]]));
  const call = (host: string, options: { all?: boolean }) =>
    new Promise<unknown>((resolve, reject) =>
      lookup(host, options, (err, address) => (err ? reject(err) : resolve(address))),
    );

  it('answers only with the checked addresses', async () => {
    expect(await call('feed.example', { all: true })).toEqual([{ address: '93.184.216.34', family: 4 }]);
    expect(await call('FEED.example', {})).toBe('93.184.216.34');
  });

  it('fails for a host that was not checked', async () => {
    await expect(call('rebind.example', { all: true })).rejects.toThrow(/not checked/);
  });
});
