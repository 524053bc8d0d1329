import { lookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { Parser } from 'htmlparser2';
import ipaddr from 'ipaddr.js';
import { cleanText } from '../text/safe.ts';

/**
 * Fetch a page's title without letting a saved link reach inside our network (SSRF): we resolve the
 * name ourselves, refuse private/loopback/link-local/metadata addresses, connect to the checked IP
 * (no second lookup), follow at most 3 redirects by hand re-checking each hop, stop after 1 MB, and
 * give up when the total time budget is spent.
 */

export interface SafeFetchOptions {
  /** Total budget for every hop, DNS included. */
  timeoutMs: number;
  /** Stop reading a body after this many bytes (default 1 MB). */
  maxBytes?: number;
  /** Redirects followed at most (default 3). */
  maxRedirects?: number;
  /**
   * TEST ONLY: exact `host:port` pairs (e.g. `127.0.0.1:43121`) exempt from the address checks, so
   * tests can fetch from a local server. Production code never sets it.
   */
  allowHosts?: readonly string[];
}

export type TitleResult = { ok: true; title: string; url: string } | { ok: false; reason: string };

export const DEFAULT_MAX_BYTES = 1024 * 1024;
export const DEFAULT_MAX_REDIRECTS = 3;

/** Names that reach cloud metadata services or this host whatever DNS says. */
const FORBIDDEN_NAMES = [
  /^localhost$/,
  /\.localhost$/,
  /^metadata$/,
  /^metadata\.google\.internal$/,
  /^metadata\.goog$/,
  /^instance-data(\.ec2\.internal)?$/,
  /^metadata\.azure\.com$/,
  /\.internal$/,
  /\.local$/,
];

/** Only plain public unicast addresses may be fetched. */
export function isForbiddenAddress(ip: string): boolean {
  let addr: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    addr = ipaddr.parse(ip);
  } catch {
    return true;
  }
  if (addr.kind() === 'ipv6') {
    const v6 = addr as ipaddr.IPv6;
    // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible forms are judged as the IPv4 address.
    if (v6.isIPv4MappedAddress()) return isForbiddenAddress(v6.toIPv4Address().toString());
    const parts = v6.parts;
    if (parts.slice(0, 6).every((p) => p === 0) && (parts[6] !== 0 || parts[7]! > 1))
      return isForbiddenAddress(`${parts[6]! >> 8}.${parts[6]! & 255}.${parts[7]! >> 8}.${parts[7]! & 255}`);
    // NAT64 / 6to4 / Teredo embed IPv4 addresses we cannot vet reliably: refuse them too.
    return v6.range() !== 'unicast';
  }
  return addr.range() !== 'unicast'; // loopback, private, linkLocal, carrierGradeNat, multicast, reserved, unspecified…
}

function hostPort(u: URL): string {
  const port = u.port || (u.protocol === 'https:' ? '443' : '80');
  return `${u.hostname}:${port}`;
}

function bare(hostname: string): string {
  return hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
}

/** Resolve and vet the host of `u`; returns the address to connect to, or why not. */
async function vet(
  u: URL,
  allow: ReadonlySet<string>,
  signal: AbortSignal,
): Promise<{ ip: string } | { reason: string }> {
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return { reason: 'only http(s) pages are fetched' };
  if (u.username || u.password) return { reason: 'links with credentials are not fetched' };
  const host = bare(u.hostname).toLowerCase();
  const allowed = allow.has(hostPort(u));
  if (!allowed && FORBIDDEN_NAMES.some((re) => re.test(host.replace(/\.$/, ''))))
    return { reason: `${host} is an internal name` };
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    const answer = lookup(host, { all: true, verbatim: true });
    answer.catch(() => {});
    const aborted = new Promise<never>((_, reject) => {
      if (signal.aborted) reject(new Error('timed out'));
      signal.addEventListener('abort', () => reject(new Error('timed out')), { once: true });
    });
    aborted.catch(() => {});
    try {
      addresses = (await Promise.race([answer, aborted])).map((a) => a.address);
    } catch (e) {
      return { reason: `could not resolve ${host} (${(e as Error).message})` };
    }
  }
  if (addresses.length === 0) return { reason: `${host} has no address` };
  if (!allowed) {
    const bad = addresses.find(isForbiddenAddress);
    if (bad) return { reason: `${host} resolves to a private or reserved address (${bad})` };
  }
  return { ip: addresses[0]! };
}

/**
 * A DNS answer that is always the address we vetted, so the connection goes where we checked (no
 * second lookup). Plain node:http(s) rather than undici: importing undici installs a process-wide
 * dispatcher that breaks discord.js's own undici uploads.
 */
function pinnedLookup(ip: string): LookupFunction {
  const family = isIP(ip);
  return (_host, options, callback) => {
    if ((options as { all?: boolean }).all)
      (callback as (e: null, a: object[]) => void)(null, [{ address: ip, family }]);
    else callback(null, ip, family);
  };
}

/** GET `url` from the vetted `ip`; TLS still verifies the URL's own host name. */
function get(url: URL, ip: string, signal: AbortSignal): Promise<IncomingMessage> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, {
      method: 'GET',
      agent: false,
      lookup: pinnedLookup(ip),
      signal,
      headers: {
        accept: 'text/html,application/xhtml+xml;q=0.9',
        'user-agent': 'QuorumReads/0.1 (title fetch for a saved link)',
      },
    });
    req.once('response', resolve);
    req.once('error', reject);
    req.end();
  });
}

interface HeadInfo {
  title: string;
  ogTitle: string;
}

/** Parse streamed HTML until the head is over; returns the title pieces found so far. */
function headParser(): { write(chunk: string): boolean; end(): HeadInfo } {
  const info: HeadInfo = { title: '', ogTitle: '' };
  let inTitle = false;
  let seenTitle = false;
  let done = false;
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (name === 'title' && !seenTitle) inTitle = true;
        if (name === 'meta') {
          const prop = (attrs.property ?? attrs.name ?? '').toLowerCase();
          if (prop === 'og:title' && attrs.content && !info.ogTitle) info.ogTitle = attrs.content;
        }
        if (name === 'body') done = true;
      },
      ontext(text) {
        if (inTitle) info.title += text;
      },
      onclosetag(name) {
        if (name === 'title' && inTitle) {
          inTitle = false;
          seenTitle = true;
        }
        if (name === 'head') done = true;
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  return {
    write(chunk) {
      parser.write(chunk);
      return done;
    },
    end() {
      parser.end();
      return info;
    },
  };
}

/** The WHATWG encoding a label names (`latin1` → windows-1252), or undefined if none. */
function encodingFor(label: string | undefined): string | undefined {
  if (!label) return undefined;
  try {
    return new TextDecoder(label.trim()).encoding;
  } catch {
    return undefined;
  }
}

/** HTML's prescan reads `<meta charset>` within the first 1024 bytes (HTML Standard §13.2.3.2). */
export const PRESCAN_BYTES = 1024;

/**
 * The character encoding of an HTML page, in the HTML Standard's order: a byte order mark, the
 * Content-Type header's charset, then `<meta charset=…>` or `<meta http-equiv="Content-Type"
 * content="…; charset=…">` in the first 1024 bytes; UTF-8 when none is given. Decoding itself is
 * Node's TextDecoder (the WHATWG Encoding Standard: windows-1252, Shift_JIS, GBK, …).
 */
export function sniffEncoding(contentType: string, head: Uint8Array): string {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  const fromHeader = encodingFor(/charset=["']?([\w.:-]+)/i.exec(contentType)?.[1]);
  if (fromHeader) return fromHeader;
  let fromMeta: string | undefined;
  const prescan = new Parser(
    {
      onopentag(name, attrs) {
        if (name !== 'meta' || fromMeta) return;
        if (attrs.charset) fromMeta = encodingFor(attrs.charset);
        else if ((attrs['http-equiv'] ?? '').toLowerCase() === 'content-type')
          fromMeta = encodingFor(/charset=["']?([\w.:-]+)/i.exec(attrs.content ?? '')?.[1]);
      },
    },
    { lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  // Every encoding a page may declare this way is ASCII-compatible in the prescan's range.
  prescan.end(new TextDecoder('latin1').decode(head.subarray(0, PRESCAN_BYTES)));
  // A page cannot declare UTF-16 in itself (it would not have been readable as ASCII).
  return fromMeta && !fromMeta.startsWith('utf-16') ? fromMeta : 'utf-8';
}

/** Fetch `url` and return its og:title or <title>, cleaned; never throws. */
export async function fetchTitle(url: string, opts: SafeFetchOptions): Promise<TitleResult> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxRedirects = opts.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const allow = new Set(opts.allowHosts ?? []);
  const signal = AbortSignal.timeout(opts.timeoutMs);
  let current: URL;
  try {
    current = new URL(url);
  } catch {
    return { ok: false, reason: 'not a valid URL' };
  }
  for (let hop = 0; ; hop++) {
    const checked = await vet(current, allow, signal);
    if ('reason' in checked) return { ok: false, reason: checked.reason };
    if (signal.aborted) return { ok: false, reason: `timed out after ${opts.timeoutMs} ms` };
    let res: IncomingMessage | undefined;
    try {
      res = await get(current, checked.ip, signal);
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        if (hop >= maxRedirects) return { ok: false, reason: `more than ${maxRedirects} redirects` };
        const location = String(res.headers.location);
        try {
          current = new URL(location, current);
        } catch {
          return { ok: false, reason: 'redirect to an invalid URL' };
        }
        continue;
      }
      if (status < 200 || status >= 300) {
        res.resume();
        return { ok: false, reason: `HTTP ${status}` };
      }
      const type = String(res.headers['content-type'] ?? '');
      if (!/^\s*(text\/html|application\/xhtml\+xml)\b/i.test(type)) {
        res.resume();
        return { ok: false, reason: `not an HTML page (${type.slice(0, 40) || 'no content type'})` };
      }
      const parser = headParser();
      let decoder: InstanceType<typeof TextDecoder> | undefined;
      const held: Buffer[] = [];
      let read = 0;
      let finished = false;
      for await (const chunk of res as AsyncIterable<Buffer>) {
        const room = maxBytes - read;
        const piece = chunk.length > room ? chunk.subarray(0, room) : chunk;
        read += piece.length;
        // Hold the first 1024 bytes back until the page's encoding is known.
        if (!decoder) {
          held.push(piece);
          if (read < PRESCAN_BYTES && read < maxBytes) continue;
        }
        decoder ??= new TextDecoder(sniffEncoding(type, Buffer.concat(held)));
        const bytes = held.length ? Buffer.concat(held.splice(0)) : piece;
        if (parser.write(decoder.decode(bytes, { stream: true }))) {
          finished = true;
          break;
        }
        if (read >= maxBytes) break;
      }
      if (!decoder && held.length)
        parser.write(new TextDecoder(sniffEncoding(type, Buffer.concat(held))).decode(Buffer.concat(held)));
      if (!finished) res.destroy();
      const info = parser.end();
      const title = cleanText(info.ogTitle || info.title, 200);
      if (!title)
        return {
          ok: false,
          reason: read >= maxBytes ? `no title in the first ${maxBytes} bytes` : 'the page has no title',
        };
      return { ok: true, title, url: current.href };
    } catch (e) {
      if (signal.aborted) return { ok: false, reason: `timed out after ${opts.timeoutMs} ms` };
      return { ok: false, reason: `fetch failed (${(e as Error).message})` };
    } finally {
      res?.destroy();
    }
  }
}
