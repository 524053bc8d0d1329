// Load through the Slack adapter's real code path: a bot process on the compiled build, as deployed
// (bench/fixtures/slack-bot.mjs, tests/fixtures/slack-bot-process.mjs on dist/: Bolt's HTTP receiver
// with signature verification, ack, response_url answers, a real core) with Slack itself played by the
// test fake on 127.0.0.1 in this process.
// Each round fires `concurrent` signed slash-command POSTs at once: half `/read <query>` from the query
// mix, half `/save <unique link>` spread over a few users. It measures the HTTP ack (time to the 200),
// waits until every response_url answer reached the fake, then counts saves in the store.
// Throws if any request was not acked 200, not answered, answered with an error, or a save was lost.
//
// Standalone: `npx tsx bench/load-slack.ts [--rounds=N] [--concurrent=N] [--no-redis]`
// Also: `npm run bench -- --only=load-slack` (bench/index.ts).
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCatalog } from '../src/catalog/load.ts';
import { SavesService } from '../src/saves/service.ts';
import { openStore } from '../src/store/open.ts';
import { spawnSlackBot } from '../tests/fixtures/bot-process-client.ts';
import { FakeSlack } from '../tests/slack/fake-slack.ts';
import { hasRedisServer, startRedis, type RedisServer } from '../tests/helpers/redis.ts';
import { ensureBuild } from './build.ts';
import { queryMix } from './queries.ts';

const DATA = fileURLToPath(new URL('../data', import.meta.url));
const BOT = fileURLToPath(new URL('./fixtures/slack-bot.mjs', import.meta.url));
const SECRET = 'bench-signing-secret';
const TEAM = 'TBENCH';

export interface SlackLoadRow {
  store: string;
  /** "cold": the first burst after the bot started; "warm": the bursts after it. */
  phase: 'cold' | 'warm';
  bursts: number;
  sent: number;
  acked: number;
  answered: number;
  /** Answers that were an error, an apology or "slow down". */
  errors: number;
  /** HTTP ack (time to the 200) percentiles, ms. */
  p50: number;
  p99: number;
  max: number;
  /** Median / slowest time from sending a command to its response_url answer arriving, ms. */
  answerP50: number;
  answerMax: number;
}

export interface SlackLoadSaves {
  store: string;
  sent: number;
  present: number;
  lost: number;
}

export interface SlackLoadResult {
  concurrent: number;
  rows: SlackLoadRow[];
  saves: SlackLoadSaves[];
}

export interface SlackLoadOptions {
  /** Bursts after the first (cold) one. Default 3. */
  rounds?: number;
  concurrent?: number;
  /** Distinct users the saves are spread over (each user's saves race on one collection). */
  saveUsers?: number;
  /** Also run against a throwaway redis-server when one is installed (default true). */
  redis?: boolean;
  /** Print the table (default true). */
  print?: boolean;
}

const percentile = (sorted: number[], p: number): number =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : NaN;

function sign(body: string, ts: number): string {
  return `v0=${createHmac('sha256', SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
}

interface Rig {
  fake: FakeSlack;
  port: number;
  /** Stop the bot (its adapter and core close), then the fake. */
  close(): Promise<void>;
}

/** The bot runs in its own process, as deployed: the load generator and the fake do not share its event loop. */
async function startRig(storeUrl: string, dataDir: string): Promise<Rig> {
  const fake = await FakeSlack.start();
  const bot = await spawnSlackBot(
    {
      FAKE_SLACK_API_URL: fake.apiUrl,
      QR_DATA_DIR: dataDir,
      QR_STORE_URL: storeUrl,
      QR_FETCH_TITLES: 'false',
      // Measure throughput, not the limiter: nobody here should be told to slow down.
      QR_RATE_COMMANDS: '10000',
      QR_RATE_SAVES: '10000',
      SLACK_BOT_TOKEN: 'xoxb-bench-token',
      SLACK_SIGNING_SECRET: SECRET,
    },
    BOT,
  );
  return {
    fake,
    port: bot.port,
    async close() {
      const code = await bot.close();
      await fake.close();
      if (code !== 0) throw new Error(`the bot process exited with ${code}: ${bot.stderr()}`);
    },
  };
}

/** Saves per user, read from the store after the bot has exited. */
async function countSaves(storeUrl: string, users: string[]): Promise<number> {
  const store = await openStore(storeUrl);
  try {
    const saves = new SavesService(store, loadCatalog(DATA));
    let n = 0;
    for (const userId of users)
      n += await saves.count({
        platform: 'slack',
        workspaceId: TEAM,
        userId,
        channelId: 'CBENCH',
        canManageChannel: false,
      });
    return n;
  } finally {
    await store.close();
  }
}

interface Shot {
  ackMs: number;
  status: number;
  answerMs: number;
  bad: boolean;
}

/**
 * POST `body` on a connection of its own (as Slack's requests arrive) with node:http, and resolve with the
 * status once the response has been read. Not fetch: 200 concurrent fetches cost this process more CPU
 * than the bot spends acknowledging them, and the ack times measured the load generator (a cold burst
 * read 740 ms p99 with fetch, 150 ms with this).
 */
function post(url: string, body: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent: false,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function slash(rig: Rig, command: string, text: string, user: string): Promise<Shot> {
  const id = randomUUID();
  const body = new URLSearchParams({
    token: 'legacy',
    team_id: TEAM,
    team_domain: 'bench',
    channel_id: 'CBENCH',
    channel_name: 'bench',
    user_id: user,
    user_name: user,
    command,
    text,
    api_app_id: 'ABENCH',
    response_url: rig.fake.respondUrl(id),
    trigger_id: `trigger-${id}`,
  }).toString();
  const ts = Math.floor(Date.now() / 1000);
  // Registered before sending, so an answer that beats the ack is not missed.
  const answered = rig.fake.waitForRespond(id).then((r) => ({ at: performance.now(), r }));
  const t0 = performance.now();
  const status = await post(`http://127.0.0.1:${rig.port}/slack/events`, body, {
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(ts),
    'x-slack-signature': sign(body, ts),
  });
  const ackMs = performance.now() - t0;
  if (status !== 200) return { ackMs, status, answerMs: NaN, bad: true };
  const { at, r } = await answered;
  const raw = JSON.stringify(r.body);
  const bad = /Slow down|went wrong on our side|failed on our side|Storage is unavailable/.test(raw);
  return { ackMs, status, answerMs: at - t0, bad };
}

function summarize(store: string, phase: SlackLoadRow['phase'], bursts: number, shots: Shot[]): SlackLoadRow {
  const acks = shots.map((s) => s.ackMs).sort((x, y) => x - y);
  const answers = shots
    .map((s) => s.answerMs)
    .filter((ms) => !Number.isNaN(ms))
    .sort((x, y) => x - y);
  return {
    store,
    phase,
    bursts,
    sent: shots.length,
    acked: shots.filter((s) => s.status === 200).length,
    answered: answers.length,
    errors: shots.filter((s) => s.bad).length,
    p50: percentile(acks, 50),
    p99: percentile(acks, 99),
    max: acks[acks.length - 1] ?? NaN,
    answerP50: percentile(answers, 50),
    answerMax: answers[answers.length - 1] ?? NaN,
  };
}

async function runOn(
  label: string,
  storeUrl: string,
  dataDir: string,
  o: Required<SlackLoadOptions>,
): Promise<{ rows: SlackLoadRow[]; saves: SlackLoadSaves }> {
  const rig = await startRig(storeUrl, dataDir);
  let closed = false;
  try {
    const queries = queryMix();
    const saveUsers = Array.from({ length: o.saveUsers }, (_, i) => `USAVE${i}`);
    let savesSent = 0;
    const bursts: Shot[][] = [];
    // Slack's side is always warm; this process's HTTP client is not. Warm it (JIT, connection setup)
    // with bursts at the fake, never at the bot, so that "cold" measures the bot.
    for (let k = 0; k < 3; k++)
      await Promise.all(
        Array.from({ length: o.concurrent }, () =>
          post(`${rig.fake.apiUrl}auth.test`, 'token=warm', {
            'content-type': 'application/x-www-form-urlencoded',
          }),
        ),
      );
    // Burst 0 hits the freshly started bot (cold: JIT, first users.info per user, first saves).
    for (let round = 0; round <= o.rounds; round++) {
      const shots = Array.from({ length: o.concurrent }, (_, i) => {
        const n = round * o.concurrent + i;
        if (i % 2 === 1) {
          savesSent++;
          const url = `https://load.example/${label}/${n} #bench`;
          return slash(rig, '/save', url, saveUsers[n % o.saveUsers]!);
        }
        return slash(rig, '/read', queries[n % queries.length]!, `UREAD${i}`);
      });
      bursts.push(await Promise.all(shots));
    }
    await rig.close();
    closed = true;
    const present = await countSaves(storeUrl, saveUsers);
    return {
      rows: [
        summarize(label, 'cold', 1, bursts[0]!),
        ...(o.rounds > 0 ? [summarize(label, 'warm', o.rounds, bursts.slice(1).flat())] : []),
      ],
      saves: { store: label, sent: savesSent, present, lost: savesSent - present },
    };
  } finally {
    if (!closed) await rig.close();
  }
}

const f = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));

function table<T>(cols: Array<[string, number, (r: T) => string]>, rows: T[]): void {
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(cols[i]![1]) : c.padStart(cols[i]![1]))).join('');
  console.log(line(cols.map(([h]) => h)));
  for (const r of rows) console.log(line(cols.map(([, , v]) => v(r))));
}

export function printSlackLoad(result: SlackLoadResult): void {
  table<SlackLoadRow>(
    [
      ['store', 8, (r) => r.store],
      ['burst', 7, (r) => (r.phase === 'cold' ? 'cold' : `warm×${r.bursts}`)],
      ['sent', 7, (r) => String(r.sent)],
      ['acked', 7, (r) => String(r.acked)],
      ['answered', 10, (r) => String(r.answered)],
      ['errors', 8, (r) => String(r.errors)],
      ['ack p50', 9, (r) => f(r.p50)],
      ['ack p99', 9, (r) => f(r.p99)],
      ['ack max', 9, (r) => f(r.max)],
      ['ans p50', 9, (r) => f(r.answerP50)],
      ['ans max', 9, (r) => f(r.answerMax)],
      ['p99<500', 9, (r) => (r.p99 < 500 ? 'yes' : 'NO')],
    ],
    result.rows,
  );
  console.log('');
  table<SlackLoadSaves>(
    [
      ['store', 8, (r) => r.store],
      ['saves sent', 12, (r) => String(r.sent)],
      ['present', 9, (r) => String(r.present)],
      ['lost', 6, (r) => String(r.lost)],
    ],
    result.saves,
  );
}

/**
 * Run the Slack HTTP load bench on SQLite (and Redis when installed). Throws when a request was not
 * acknowledged, not answered, answered with an error, or a save went missing.
 */
export async function benchSlackLoad(opts: SlackLoadOptions = {}): Promise<SlackLoadResult> {
  const o: Required<SlackLoadOptions> = {
    rounds: opts.rounds ?? 3,
    concurrent: opts.concurrent ?? 200,
    saveUsers: opts.saveUsers ?? 10,
    redis: opts.redis ?? true,
    print: opts.print ?? true,
  };
  if (o.print)
    console.log(
      `Bursts of ${o.concurrent} concurrent signed slash commands (half /read, half /save spread over ${o.saveUsers} users) at a bot process's Slack HTTP receiver: one right after start (cold), then ${o.rounds} more (warm). ack = time to the HTTP 200, ans = time to the response_url answer, ms.\n`,
    );
  const result: SlackLoadResult = { concurrent: o.concurrent, rows: [], saves: [] };
  const add = (r: { rows: SlackLoadRow[]; saves: SlackLoadSaves }) => {
    result.rows.push(...r.rows);
    result.saves.push(r.saves);
  };
  ensureBuild();
  const dir = mkdtempSync(join(tmpdir(), 'qr-load-slack-'));
  let redis: RedisServer | undefined;
  try {
    add(await runOn('sqlite', `sqlite://${join(dir, 'load.sqlite')}`, dir, o));
    if (o.redis && hasRedisServer()) {
      redis = await startRedis();
      add(await runOn('redis', redis.url, dir, o));
    } else if (o.print && o.redis) console.log('(redis-server not installed: Redis rows skipped)');
  } finally {
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  if (o.print) printSlackLoad(result);
  const problems = [
    ...result.rows.flatMap((r) => [
      ...(r.acked < r.sent ? [`${r.store} ${r.phase}: ${r.sent - r.acked} of ${r.sent} not acked 200`] : []),
      ...(r.answered < r.sent
        ? [`${r.store} ${r.phase}: ${r.sent - r.answered} of ${r.sent} never answered`]
        : []),
      ...(r.errors ? [`${r.store} ${r.phase}: ${r.errors} answers were errors`] : []),
    ]),
    ...result.saves.flatMap((s) => (s.lost ? [`${s.store}: ${s.lost} of ${s.sent} saves lost`] : [])),
  ];
  if (problems.length) throw new Error(`Slack load bench failed:\n  ${problems.join('\n  ')}`);
  return result;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  await benchSlackLoad({
    ...(arg('rounds') ? { rounds: Number(arg('rounds')) } : {}),
    ...(arg('concurrent') ? { concurrent: Number(arg('concurrent')) } : {}),
    redis: !process.argv.includes('--no-redis'),
  });
}
