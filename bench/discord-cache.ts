// Memory of one Discord shard in 2,500 guilds through a busy hour, with discord.js's default caches and
// with the bot's (adapters/discord/client-options.ts). The shard is the compiled bot in its own process
// (bench/fixtures/discord-shard.mjs) against the tests' fake Discord on 127.0.0.1: the fake sends
// GUILD_CREATE for every guild (channels, roles, emojis, threads, the bot and voice members, shaped by
// bench/discord-guilds.ts), then an hour of messages, reactions, slash commands, threads and mention
// questions compressed into a minute, the shard's sweepers running 60 times faster to match.
//
// Standalone: `npx tsx bench/discord-cache.ts [--guilds=N] [--minutes=N]`
// Also: `npm run bench -- --only=discord-cache` (bench/index.ts).
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { APIGuildMember } from 'discord-api-types/v10';
import { FakeDiscord } from '../tests/discord/fake-discord.ts';
import { ensureBuild } from './build.ts';
import { DEFAULT_RATES, GuildWorld, type TrafficRates } from './discord-guilds.ts';
import { queryMix } from './queries.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SHARD = fileURLToPath(new URL('./fixtures/discord-shard.mjs', import.meta.url));

export interface ShardStats {
  /** Whether the shard asked for the Guilds intent (without it no GUILD_CREATE arrives). */
  guildsIntent: boolean;
  guilds: number;
  channels: number;
  roles: number;
  members: number;
  users: number;
  emojis: number;
  voice: number;
  messages: number;
  rssMb: number;
  heapMb: number;
}

export interface DiscordCacheRow {
  caches: 'Guilds intent, discord.js defaults' | 'no Guilds intent, client-options.ts';
  /** Seconds from the first GUILD_CREATE to the last one cached. */
  guildsSeconds: number;
  afterGuilds: ShardStats;
  /** After a full GC once the guilds are in: what GUILD_CREATE alone leaves in the caches. */
  guildsGc: ShardStats;
  /** Highest RSS sampled during the simulated hour, MB. */
  peakRssMb: number;
  end: ShardStats;
  /** After a full GC at the end: what the caches hold on to. */
  afterGc: ShardStats;
}

export interface DiscordCacheOptions {
  guilds?: number;
  /** Simulated minutes of traffic after the guilds arrive (default 60). */
  minutes?: number;
  /** Simulated minutes per real minute (default 60: the hour takes a minute). */
  timeScale?: number;
  rates?: TrafficRates;
  print?: boolean;
}

interface Shard {
  stats(kind?: 'stats' | 'gc'): Promise<ShardStats>;
  stop(): Promise<void>;
}

async function startShard(
  fake: FakeDiscord,
  caches: 'defaults' | 'limits',
  timeScale: number,
  dataDir: string,
) {
  const child = fork(SHARD, [], {
    cwd: ROOT,
    execArgv: ['--expose-gc'],
    env: {
      ...process.env,
      FAKE_DISCORD_API: fake.api,
      DISCORD_TOKEN: 'bench-token',
      DISCORD_APPLICATION_ID: '100000000000000001',
      DISCORD_MESSAGE_CONTENT: 'true',
      QR_STORE_URL: 'memory://',
      QR_DATA_DIR: dataDir,
      QR_FETCH_TITLES: 'false',
      QR_RATE_COMMANDS: '10000',
      QR_LOG_LEVEL: 'silent',
      QR_BENCH_CACHES: caches,
      QR_BENCH_TIME_SCALE: String(timeScale),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    void exited.then((code) => reject(new Error(`discord shard exited (${code}) before it was ready`)));
  });
  const shard: Shard = {
    stats: (kind = 'stats') =>
      new Promise((resolve) => {
        child.once('message', (m) => resolve(m as ShardStats));
        child.send(kind);
      }),
    async stop() {
      child.send('stop');
      const code = await exited;
      if (code !== 0) throw new Error(`discord shard exited with ${code}`);
    },
  };
  return shard;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function runShard(
  world: GuildWorld,
  caches: 'defaults' | 'limits',
  o: Required<Omit<DiscordCacheOptions, 'print'>>,
): Promise<DiscordCacheRow> {
  const fake = await FakeDiscord.start();
  const dataDir = mkdtempSync(join(tmpdir(), 'qr-discord-cache-'));
  let shard: Shard | undefined;
  try {
    const identified = fake.waitForGateway(2);
    shard = await startShard(fake, caches, o.timeScale, dataDir);
    await identified;
    const t0 = performance.now();
    for (const g of world.guilds) fake.dispatch('GUILD_CREATE', g.payload);
    let afterGuilds = await shard.stats();
    while (afterGuilds.guildsIntent && afterGuilds.guilds < world.guilds.length) {
      await sleep(250);
      afterGuilds = await shard.stats();
    }
    const guildsSeconds = (performance.now() - t0) / 1000;
    const guildsGc = await shard.stats('gc');
    const queries = queryMix();
    let q = 0;
    const interaction = (guildId: string, channelId: string, member: APIGuildMember) => {
      const base = fake.slash('read', { topic: queries[q++ % queries.length]! });
      return {
        ...base,
        guild_id: guildId,
        channel_id: channelId,
        channel: { ...base.channel, id: channelId },
        member,
      };
    };
    let peakRssMb = afterGuilds.rssMb;
    const minuteMs = 60_000 / o.timeScale;
    const start = performance.now();
    for (let minute = 0; minute < o.minutes; minute++) {
      for (const [event, payload] of world.minute(o.rates, interaction)) fake.dispatch(event, payload);
      const due = start + (minute + 1) * minuteMs - performance.now();
      if (due > 0) await sleep(due);
      if (minute % 5 === 4) peakRssMb = Math.max(peakRssMb, (await shard.stats()).rssMb);
    }
    await sleep(2_000); // let the shard drain the last minute
    const end = await shard.stats();
    peakRssMb = Math.max(peakRssMb, end.rssMb);
    const afterGc = await shard.stats('gc');
    return {
      caches:
        caches === 'defaults' ? 'Guilds intent, discord.js defaults' : 'no Guilds intent, client-options.ts',
      guildsSeconds,
      afterGuilds,
      guildsGc,
      peakRssMb,
      end,
      afterGc,
    };
  } finally {
    await shard?.stop();
    await fake.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export function printDiscordCache(rows: DiscordCacheRow[]): void {
  const cols: Array<[string, number, (r: DiscordCacheRow) => string]> = [
    ['caches', 38, (r) => r.caches],
    ['guilds s', 10, (r) => r.guildsSeconds.toFixed(1)],
    ['RSS ready', 11, (r) => r.afterGuilds.rssMb.toFixed(0)],
    ['heap ready', 12, (r) => r.guildsGc.heapMb.toFixed(0)],
    ['RSS peak', 10, (r) => r.peakRssMb.toFixed(0)],
    ['RSS end', 9, (r) => r.end.rssMb.toFixed(0)],
    ['RSS gc', 8, (r) => r.afterGc.rssMb.toFixed(0)],
    ['heap end', 10, (r) => r.afterGc.heapMb.toFixed(0)],
    ['channels', 10, (r) => String(r.end.channels)],
    ['roles', 8, (r) => String(r.end.roles)],
    ['members', 9, (r) => String(r.end.members)],
    ['users', 8, (r) => String(r.end.users)],
    ['emojis', 8, (r) => String(r.end.emojis)],
    ['messages', 10, (r) => String(r.end.messages)],
    ['<250 MB', 9, (r) => (r.peakRssMb < 250 ? 'yes' : 'NO')],
  ];
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(cols[i]![1]) : c.padStart(cols[i]![1]))).join('');
  console.log(line(cols.map(([h]) => h)));
  for (const r of rows) console.log(line(cols.map(([, , v]) => v(r))));
}

/** Run the shard with discord.js's default caches, then with the bot's; RSS in MB, counts at the end. */
export async function benchDiscordCache(opts: DiscordCacheOptions = {}): Promise<DiscordCacheRow[]> {
  const o = {
    guilds: opts.guilds ?? 2_500,
    minutes: opts.minutes ?? 60,
    timeScale: opts.timeScale ?? 60,
    rates: opts.rates ?? DEFAULT_RATES,
  };
  ensureBuild();
  const world = new GuildWorld(o.guilds);
  const perHour = (n: number) => (n * 60).toLocaleString('en-US');
  if (opts.print ?? true)
    console.log(
      `${o.guilds} guilds (${world.guilds.reduce((n, g) => n + (g.payload.channels?.length ?? 0), 0).toLocaleString('en-US')} channels), then ${o.minutes} simulated minutes in ${((o.minutes * 60) / o.timeScale).toFixed(0)} s: per hour ${perHour(o.rates.messages)} messages, ${perHour(o.rates.reactions)} reactions, ${perHour(o.rates.interactions)} slash commands, ${perHour(o.rates.threads)} threads, ${perHour(o.rates.mentions)} mention questions. RSS in MB.\n`,
    );
  const rows = [await runShard(world, 'defaults', o), await runShard(world, 'limits', o)];
  if (opts.print ?? true) printDiscordCache(rows);
  return rows;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  await benchDiscordCache({
    ...(arg('guilds') ? { guilds: Number(arg('guilds')) } : {}),
    ...(arg('minutes') ? { minutes: Number(arg('minutes')) } : {}),
  });
}
