// `npm run --silent cli -- [--json] [--user ID] [--channel ID] "/read raft"`: one command through the core.
import { loadConfig, ConfigError } from '../config.ts';
import { createCore } from '../core.ts';
import { createLogger } from '../logger.ts';
import { renderText } from '../../adapters/console/render.ts';

function usage(msg: string): never {
  console.error(
    `${msg}\nusage: npm run --silent cli -- [--json] [--user ID] [--channel ID] [--press BUTTON_ID] "/command args"`,
  );
  process.exit(2);
}

const argv = process.argv.slice(2);
let json = false;
let user = 'cli';
let channel = 'cli';
let press: string | undefined;
const rest: string[] = [];
for (let i = 0; i < argv.length; i++) {
  const a = argv[i]!;
  if (a === '--json') json = true;
  else if (a === '--user') user = argv[++i] ?? usage('--user needs an id');
  else if (a === '--channel') channel = argv[++i] ?? usage('--channel needs an id');
  else if (a === '--press') press = argv[++i] ?? usage('--press needs a button id');
  else rest.push(a);
}
if (!press && rest.length === 0) usage('give a command');

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
  console.log(json ? JSON.stringify(r) : renderText(r));
  await core.close();
  process.exit(r.status === 'error' ? 1 : 0);
} catch (e) {
  console.error(e instanceof ConfigError ? e.message : `cli failed: ${(e as Error).message}`);
  process.exit(2);
}
