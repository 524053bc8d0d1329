// `npm run --silent cli -- [--json] [--user ID] [--channel ID] "/read raft"`: one command through the core.
import { loadConfig, ConfigError } from '../config.ts';
import { createCore } from '../core.ts';
import { createLogger } from '../logger.ts';
import { join } from 'node:path';
import { renderText } from '../../adapters/console/render.ts';
import { isBrokenPipe, writeReplyFiles } from '../../adapters/console/files.ts';
import { LOCAL_USER } from '../caller.ts';

// `… | head` closing the pipe early is not a failure.
process.stdout.on('error', (e) => {
  if (isBrokenPipe(e)) process.exit(0);
  throw e;
});

function usage(msg: string): never {
  console.error(
    `${msg}\nusage: npm run --silent cli -- [--json] [--user ID] [--channel ID] [--press BUTTON_ID] [--out DIR] "/command args"`,
  );
  process.exit(2);
}

const argv = process.argv.slice(2);
let json = false;
let user = LOCAL_USER; // the console's default user too: one local list
let out: string | undefined;
let channel = 'cli';
let press: string | undefined;
const rest: string[] = [];
for (let i = 0; i < argv.length; i++) {
  const a = argv[i]!;
  if (a === '--json') json = true;
  else if (a === '--user') user = argv[++i] ?? usage('--user needs an id');
  else if (a === '--channel') channel = argv[++i] ?? usage('--channel needs an id');
  else if (a === '--press') press = argv[++i] ?? usage('--press needs a button id');
  else if (a === '--out') out = argv[++i] ?? usage('--out needs a directory');
  // Options come before the command; a typo there (`--jsn`) must not become the command text.
  else if (rest.length === 0 && a.startsWith('--')) usage(`unknown option ${a.slice(0, 40)}`);
  else rest.push(a);
}
if (!press && rest.length === 0) usage('give a command');
if (press && rest.length > 0) usage('give either a command or --press, not both');

try {
  const config = loadConfig();
  const core = await createCore({ config, logger: createLogger({ level: 'warn', format: 'json' }) });
  const caller = {
    platform: 'cli' as const,
    workspaceId: 'local',
    userId: user,
    channelId: channel,
    canManageChannel: true,
  };
  const r = press ? await core.press(caller, press) : await core.run(caller, rest.join(' '));
  console.log(json ? JSON.stringify(r) : renderText(r, { pages: 'press' }));
  // Files (an /export) go to disk and their paths are printed; --json already carries them.
  if (!json)
    for (const p of await writeReplyFiles(r.files, out ?? join(config.dataDir, 'exports')))
      console.log(`wrote ${p}`);
  await core.close();
  process.exit(r.status === 'error' ? 1 : 0);
} catch (e) {
  console.error(e instanceof ConfigError ? e.message : `cli failed: ${(e as Error).message}`);
  process.exit(2);
}
