// Sharded launch: `npm run discord:shards` (dist/adapters/discord/shard.js) spawns one bot process
// (src/main with QR_ADAPTER=discord, compiled or not like this file) per shard with discord.js's ShardingManager. Every process must share one store,
// so QR_STORE_URL must be redis:// (or rediss://): saves, cursors and tag-of-the-day claims live there,
// which is what makes the daily post happen exactly once across shards.
import { fileURLToPath } from 'node:url';
import { ShardingManager } from 'discord.js';
import { loadConfig, ConfigError } from '../../src/config.ts';
import { createLogger, scrubSecrets } from '../../src/logger.ts';

let config;
try {
  config = loadConfig({ ...process.env, QR_ADAPTER: 'discord' });
} catch (e) {
  if (e instanceof ConfigError) {
    console.error(e.message); // eslint-disable-line no-console
    process.exit(2);
  }
  throw e;
}
if (!/^rediss?:\/\//.test(config.storeUrl)) {
  // eslint-disable-next-line no-console
  console.error(
    'Sharding needs a store every shard process shares: set QR_STORE_URL=redis://host:6379 (or rediss://).',
  );
  process.exit(2);
}
const logger = createLogger({
  level: config.log.level,
  format: config.log.format,
  name: 'quorum-reads-shards',
});
const totalShards = process.env.DISCORD_SHARDS ? Number(process.env.DISCORD_SHARDS) : 'auto';

// Compiled (dist/…/shard.js): shards run dist/src/main.js on plain node. From source (tests, tsx):
// src/main.ts through tsx's loader.
const compiled = import.meta.url.endsWith('.js');
const main = new URL(compiled ? '../../src/main.js' : '../../src/main.ts', import.meta.url);
const manager = new ShardingManager(fileURLToPath(main), {
  token: config.discord.token,
  totalShards,
  mode: 'process',
  respawn: true,
  execArgv: compiled ? [] : ['--import', 'tsx'],
});
process.env.QR_ADAPTER = 'discord';
manager.on('shardCreate', (shard) => {
  logger.info({ shard: shard.id, of: manager.totalShards }, 'shard launched');
  shard.on('death', () => logger.warn({ shard: shard.id }, 'shard process exited; respawning'));
});
manager.spawn({ timeout: 60_000 }).catch((e: unknown) => {
  logger.fatal({ err: scrubSecrets(e instanceof Error ? e.message : String(e)) }, 'could not spawn shards');
  process.exit(1);
});
