// Soak: mixed traffic against bot processes on one SQLite store while one of them is SIGKILLed and
// restarted every few seconds; afterwards every save a bot confirmed must be in the store.
//
// `npm run soak` (2 minutes) or `npm run soak -- --seconds=900 --kill-every=5 --procs=3 --workers=12`.
// The bots are tests/fixtures/bot-process.ts (a full core from the environment, JSON lines on stdin):
// a save is "confirmed" when the bot answered it with an ok reply; saves in flight when their bot was
// killed are "unconfirmed" (they may or may not have landed; either is fine). Exits 1 on a missing save.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCatalog } from '../src/catalog/load.ts';
import { SavesService } from '../src/saves/service.ts';
import { openStore } from '../src/store/open.ts';
import { startPruning } from '../src/store/prune.ts';
import { silentLogger } from '../src/logger.ts';
import { spawnBot, type BotProcess } from '../tests/fixtures/bot-process-client.ts';
import { queryMix } from './queries.ts';

const DATA = fileURLToPath(new URL('../data', import.meta.url));
const arg = (name: string, fallback: number): number => {
  const v = process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const n = v === undefined ? fallback : Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
  return n;
};
const seconds = arg('seconds', 120);
const killEvery = arg('kill-every', 10);
const procs = arg('procs', 2);
const workers = arg('workers', 4);
// Enough users that nobody reaches the 5,000-save cap however long it runs.
const users = arg('users', Math.max(20, Math.ceil(seconds / 5)));

const dir = mkdtempSync(join(tmpdir(), 'qr-soak-'));
const storeUrl = `sqlite://${join(dir, 'soak.sqlite')}`;
const env = {
  QR_STORE_URL: storeUrl,
  QR_DATA_DIR: dir,
  QR_FETCH_TITLES: 'false',
  QR_RATE_COMMANDS: '10000',
  QR_RATE_SAVES: '10000',
};

/** Slot i holds a running bot, or a promise of the one being started. */
const slots: Array<Promise<BotProcess>> = [];
for (let i = 0; i < procs; i++) slots.push(spawnBot(env));
await Promise.all(slots);

const confirmed = new Map<string, Set<string>>(); // user → urls the bot confirmed
let unconfirmed = 0;
let saveErrors = 0;
let reads = 0;
let readErrors = 0;
let killed = 0;
let interrupted = 0;
let seq = 0;
const queries = queryMix();
const started = Date.now();
const deadline = started + seconds * 1000;
const problems: string[] = [];

async function worker(w: number): Promise<void> {
  let k = 0;
  while (Date.now() < deadline) {
    const slot = (w + k++) % procs;
    const bot = await slots[slot]!;
    const user = `soak-${seq % users}`;
    const roll = seq++ % 10;
    try {
      if (roll < 5) {
        const url = `https://soak.example/${user}/${seq}`;
        const r = await bot.send({ op: 'save', user, text: url });
        if (r.status === 'ok') {
          const set = confirmed.get(user) ?? new Set<string>();
          set.add(url);
          confirmed.set(user, set);
        } else {
          saveErrors++;
          if (problems.length < 5) problems.push(`save answered: ${r.text ?? r.error}`);
        }
      } else {
        const line = roll < 9 ? `/read ${queries[seq % queries.length]}` : '/saved';
        const r = await bot.send({ op: 'run', user, line });
        reads++;
        if (r.status !== 'ok' && !/^None of|no saves/i.test(r.text ?? '')) {
          readErrors++;
          if (problems.length < 5) problems.push(`${line} answered: ${r.text ?? r.error}`);
        }
      }
    } catch {
      // The bot was killed with this request in flight.
      interrupted++;
      if (roll < 5) unconfirmed++;
    }
  }
}

async function killer(): Promise<void> {
  let victim = 0;
  while (Date.now() + killEvery * 1000 < deadline) {
    await new Promise((r) => setTimeout(r, killEvery * 1000));
    const slot = victim++ % procs;
    const bot = await slots[slot]!;
    const next = bot.kill().then(() => spawnBot(env));
    slots[slot] = next;
    killed++;
    await next;
    process.stdout.write(
      `  ${Math.round((Date.now() - started) / 1000)} s: killed and restarted bot ${slot + 1} (pid ${bot.pid})\n`,
    );
  }
}

console.log(
  `Soak: ${seconds} s, ${procs} bot processes on one SQLite file, ${workers} workers (50% /save, 40% /read, 10% /saved over ${users} users), SIGKILL + restart one bot every ${killEvery} s`,
);
// Expired state (rate-limit buckets, paging rows, claims) is pruned in the background, as each bot
// does every 10 minutes; here every few seconds from one more client, so a short soak sees it work.
const pruner = await openStore(storeUrl);
const pruning = startPruning(pruner, silentLogger, { everyMs: 5000 });
await Promise.all([killer(), ...Array.from({ length: workers }, (_, w) => worker(w))]);
await Promise.all(slots.map(async (s) => (await s).close()));
await pruning.stop();
const sizes = await pruner.stateSizes();
await pruner.close();

// Check from a fresh client, after every bot has exited.
const store = await openStore(storeUrl);
const saves = new SavesService(store, loadCatalog(DATA));
let confirmedCount = 0;
let present = 0;
let missing = 0;
for (let u = 0; u < users; u++) {
  const user = `soak-${u}`;
  const caller = {
    platform: 'console',
    workspaceId: 'multi',
    userId: user,
    channelId: 'c1',
    canManageChannel: true,
  } as const;
  const stored = new Set((await saves.list(caller)).map((e) => e.url));
  present += stored.size;
  for (const url of confirmed.get(user) ?? []) {
    confirmedCount++;
    if (!stored.has(url)) {
      missing++;
      if (problems.length < 10) problems.push(`confirmed but missing: ${url}`);
    }
  }
}
await store.close();
rmSync(dir, { recursive: true, force: true });

const wall = (Date.now() - started) / 1000;
console.log(`\nwall ${wall.toFixed(0)} s, kills ${killed}, requests interrupted by a kill ${interrupted}`);
console.log(`reads/saved answered ${reads} (errors ${readErrors})`);
console.log(
  `saves: confirmed ${confirmedCount}, unconfirmed (in flight at a kill) ${unconfirmed}, error replies ${saveErrors}`,
);
console.log(`store: present ${present}, confirmed but missing ${missing}`);
// Rows past their lifetime but not pruned yet are at most what expired since the last prune: every
// bucket key (2 per user: commands and saves) and no more, however long the soak runs.
const bound = 2 * users;
console.log(`state tables (rows / live / allowed = live + ${bound}):`);
for (const t of sizes) {
  console.log(
    `  ${t.table.padEnd(8)} ${String(t.rows).padStart(7)} ${String(t.live).padStart(7)} ${String(t.live + bound).padStart(7)}`,
  );
  if (t.rows > t.live + bound)
    problems.push(`${t.table}: ${t.rows} rows for ${t.live} live (bound ${bound})`);
}
for (const p of problems) console.log(`  ! ${p}`);
if (missing > 0 || saveErrors > 0 || readErrors > 0 || problems.some((p) => p.includes('rows for'))) {
  console.log('SOAK FAILED');
  process.exit(1);
}
console.log('SOAK OK: every confirmed save is present; state tables stay within live + a fixed bound');
