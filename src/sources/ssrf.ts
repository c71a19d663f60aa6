// The SSRF guard: a source URL (ICS feed or CalDAV server) is user input, so before connecting we
// resolve its host and refuse addresses inside the machine's or the cloud's private networks. The connection then goes to the
// very addresses that were checked (a pinned lookup), so DNS rebinding cannot swap them in between.

import type { LookupAddress } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';

/** Resolves every address of a host name (injectable for tests). */
export type ResolveAll = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolveAll: ResolveAll = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

const metadataHosts = new Set(['metadata.google.internal', 'metadata.goog', 'metadata']);

/** Parses an IPv4 address into 4 bytes, or undefined. */
function ipv4Bytes(ip: string): number[] | undefined {
  if (isIP(ip) !== 4) return undefined;
  return ip.split('.').map((p) => Number.parseInt(p, 10));
}

/** Parses an IPv6 address (with optional zone and embedded IPv4 tail) into 16 bytes, or undefined. */
export function ipv6Bytes(input: string): number[] | undefined {
  const ip = input.replace(/%.*$/, '');
  if (isIP(ip) !== 6) return undefined;
  let text = ip;
  const tail: number[] = [];
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4?.[1]) {
    tail.push(...(ipv4Bytes(v4[1]) ?? []));
    text = `${text.slice(0, -v4[1].length)}0:0`;
  }
  const [head = '', rest] = text.split('::');
  const headGroups = head ? head.split(':') : [];
  const restGroups = rest ? rest.split(':') : [];
  const missing = 8 - headGroups.length - restGroups.length;
  const groups =
    rest === undefined ? headGroups : [...headGroups, ...Array(missing).fill('0'), ...restGroups];
  const bytes = groups.flatMap((g) => {
    const n = Number.parseInt(g || '0', 16);
    return [n >> 8, n & 0xff];
  });
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes.length === 16 ? bytes : undefined;
}

function inPrefix(bytes: number[], prefix: number[], bits: number): boolean {
  for (let i = 0; i < bits; i++) {
    const byte = i >> 3;
    const mask = 0x80 >> (i & 7);
    if (((bytes[byte] ?? 0) & mask) !== ((prefix[byte] ?? 0) & mask)) return false;
  }
  return true;
}

const v4Blocks: [number[], number, string][] = [
  [[0, 0, 0, 0], 8, 'unspecified ("this network") address'],
  [[10, 0, 0, 0], 8, 'private address'],
  [[100, 64, 0, 0], 10, 'carrier-grade NAT address'],
  [[127, 0, 0, 0], 8, 'loopback address'],
  [[169, 254, 169, 254], 32, 'cloud metadata address'],
  [[169, 254, 0, 0], 16, 'link-local address'],
  [[172, 16, 0, 0], 12, 'private address'],
  [[192, 0, 0, 0], 24, 'IETF protocol assignment address'],
  [[192, 168, 0, 0], 16, 'private address'],
  [[198, 18, 0, 0], 15, 'benchmarking address'],
  [[224, 0, 0, 0], 4, 'multicast address'],
  [[240, 0, 0, 0], 4, 'reserved or broadcast address'],
];

const v6Blocks: [number[], number, string][] = [
  [[0xfd, 0x00, 0x0e, 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54], 128, 'cloud metadata address'],
  [Array(16).fill(0), 128, 'unspecified address'],
  [[...Array(15).fill(0), 1], 128, 'loopback address'],
  [[0xfc], 7, 'private (unique local) address'],
  [[0xfe, 0x80], 10, 'link-local address'],
  [[0xfe, 0xc0], 10, 'site-local address'],
  [[0xff], 8, 'multicast address'],
];

/**
 * Why an IP address must not be connected to, or undefined if it is a public address. IPv6 forms
 * that embed an IPv4 address (mapped, compatible, NAT64, 6to4) are judged by that IPv4 address.
 */
export function blockedAddressReason(ip: string): string | undefined {
  const v4 = ipv4Bytes(ip);
  if (v4) return v4Blocks.find(([p, bits]) => inPrefix(v4, p, bits))?.[2];
  const v6 = ipv6Bytes(ip);
  if (!v6) return 'not an IP address';
  const embedded =
    inPrefix(v6, [...Array(10).fill(0), 0xff, 0xff], 96) || // ::ffff:a.b.c.d
    inPrefix(v6, [0, 0x64, 0xff, 0x9b], 96) || // 64:ff9b::a.b.c.d (NAT64)
    (inPrefix(v6, Array(12).fill(0), 96) && !inPrefix(v6, Array(15).fill(0), 120)) // ::a.b.c.d
      ? v6.slice(12)
      : inPrefix(v6, [0x20, 0x02], 16) // 2002:abcd::/16 (6to4)
        ? v6.slice(2, 6)
        : undefined;
  if (embedded) return blockedAddressReason(embedded.join('.'));
  return v6Blocks.find(([p, bits]) => inPrefix(v6, p, bits))?.[2];
}

export interface GuardOptions {
  /** Host names or addresses exempt from the guard (exact match, case-insensitive). */
  allowHosts: readonly string[];
  resolveAll?: ResolveAll;
  /** Gives up (rejecting with its reason) when it aborts; DNS lookups cannot be cancelled, only abandoned. */
  signal?: AbortSignal;
}

/** Why a host must be refused, or the addresses it may be connected to. */
export type HostCheck =
  | { ok: true; addresses: LookupAddress[] }
  /** `unresolved`: DNS gave no answer (may be transient), rather than a refused address. */
  | { ok: false; reason: string; unresolved?: true };

/** The form hosts are compared and pinned in: no brackets, no trailing dot, lower case. */
export function normaliseHost(hostname: string): string {
  return hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
}

/**
 * Resolves a host and checks every address: one refused address refuses the host (a name that
 * answers with both public and private addresses is not trusted).
 */
export async function checkHost(hostname: string, opts: GuardOptions): Promise<HostCheck> {
  const host = normaliseHost(hostname);
  const allowed = new Set(opts.allowHosts.map(normaliseHost));
  const hostAllowed = allowed.has(host);
  if (!hostAllowed && metadataHosts.has(host)) return { ok: false, reason: 'cloud metadata host' };

  const family = isIP(host);
  let addresses: LookupAddress[];
  if (family !== 0) {
    addresses = [{ address: host, family }];
  } else {
    try {
      addresses = await untilAborted((opts.resolveAll ?? systemResolveAll)(host), opts.signal);
    } catch (err) {
      if (opts.signal?.aborted) throw err;
      return {
        ok: false,
        reason: `host name does not resolve (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
        unresolved: true,
      };
    }
    if (addresses.length === 0) return { ok: false, reason: 'host name has no address', unresolved: true };
  }
  if (!hostAllowed) {
    for (const a of addresses) {
      if (allowed.has(normaliseHost(a.address))) continue;
      const reason = blockedAddressReason(a.address);
      if (reason) return { ok: false, reason: `${a.address} is a ${reason}` };
    }
  }
  return { ok: true, addresses };
}

function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for net/tls.connect that only answers with addresses already checked for that host
 * (filled by the caller per hop); any other name fails, so nothing unchecked is ever dialled.
 */
export function pinnedLookup(checked: Map<string, LookupAddress[]>) {
  return (
    hostname: string,
    options: { all?: boolean; family?: number | string },
    callback: LookupCallback,
  ) => {
    const list = checked.get(normaliseHost(hostname));
    if (!list || list.length === 0) {
      const err: NodeJS.ErrnoException = new Error(`address of ${hostname} was not checked`);
      err.code = 'ENOTFOUND';
      callback(err, []);
      return;
    }
    const wanted =
      options.family === 6 || options.family === 'IPv6'
        ? 6
        : options.family === 4 || options.family === 'IPv4'
          ? 4
          : 0;
    const usable = wanted ? list.filter((a) => a.family === wanted) : list;
    if (options.all) callback(null, usable);
    else callback(null, usable[0]?.address ?? '', usable[0]?.family ?? 4);
  };
}
