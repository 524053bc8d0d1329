// `npm start`: validate config, build the core, start the adapter the config selects.
import { join } from 'node:path';
import { loadConfig, ConfigError, type Config } from './config.ts';
import { createLogger, scrubSecrets } from './logger.ts';
import { createCore } from './core.ts';
import { CatalogError } from './catalog/load.ts';
import { startHealthServer } from './health/server.ts';

let config: Config;
try {
  config = loadConfig();
} catch (e) {
  if (e instanceof ConfigError) {
    console.error(`${e.message}\nSee .env.example for every setting.`);
    process.exit(2);
  }
  throw e;
}

// The console shares the terminal with logs: keep them to warnings unless asked.
const level = config.adapter === 'console' && !process.env.QR_LOG_LEVEL ? 'warn' : config.log.level;
const logger = createLogger({ level, format: config.log.format });

async function main(): Promise<void> {
  const core = await createCore({ config, logger });
  const { heapUsed } = process.memoryUsage();
  logger.info(
    {
      adapter: config.adapter,
      readings: core.services.catalog.readings.length,
      heapMb: Math.round(heapUsed / 2 ** 20),
    },
    'core ready',
  );
  const health = config.healthPort
    ? await startHealthServer({
        port: config.healthPort,
        host: config.healthHost,
        store: core.services.store,
        metrics: core.metrics,
        logger,
      })
    : undefined;
  let stop: () => Promise<void>;
  if (config.adapter === 'console') {
    const { startConsole } = await import('../adapters/console/index.ts');
    const session = startConsole(core, {
      input: process.stdin,
      output: process.stdout,
      color: Boolean(process.stdout.isTTY),
      exportDir: join(config.dataDir, 'exports'),
    });
    stop = async () => session.close();
    void session.done.then(() => shutdown('end of input'));
  } else if (config.adapter === 'discord') {
    const { createDiscordAdapter } = await import('../adapters/discord/index.ts');
    const discord = createDiscordAdapter({ core, config, logger });
    await discord.start();
    stop = () => discord.stop();
  } else if (config.adapter === 'slack') {
    const { createSlackAdapter } = await import('../adapters/slack/index.ts');
    const slack = createSlackAdapter({ core, config, logger });
    await slack.start();
    stop = () => slack.stop();
  } else {
    throw new Error(`adapter ${config.adapter} is not available yet`);
  }

  let stopping = false;
  async function shutdown(why: string): Promise<void> {
    if (stopping) return;
    stopping = true;
    logger.info({ why }, 'shutting down');
    await stop();
    await health?.close();
    await core.close();
    process.exit(0);
  }
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((e: unknown) => {
  if (e instanceof CatalogError) console.error(e.message);
  else
    console.error(
      `quorum-reads failed to start: ${scrubSecrets(e instanceof Error ? e.message : String(e))}`,
    );
  process.exit(1);
});
