import { join } from 'node:path';
import { loadCatalog, type Catalog } from './catalog/load.ts';
import { commands as registeredCommands } from './commands/registry.ts';
import type { Caller, Choice, Command } from './commands/types.ts';
import type { Config } from './config.ts';
import { CursorStore } from './cursors.ts';
import { silentLogger, scrubSecrets, type Logger } from './logger.ts';
import { defuseReply, errorReply, type Reply } from './reply.ts';
import { ReadingSearch } from './search/reading-search.ts';
import { systemClock, type Clock } from './clock.ts';
import type { Services } from './services.ts';
import { openStore } from './store/open.ts';
import { startPruning } from './store/prune.ts';
import { StoreUnavailableError, type Store } from './store/types.ts';
import { CommandMetrics } from './health/metrics.ts';
import { TagOfTheDay } from './tagoftheday/service.ts';
import { SavesService } from './saves/service.ts';
import { migrateSaves } from './saves/migrate.ts';
import { RateLimiter } from './ratelimit/index.ts';
import { saveFromMessage } from './commands/save.ts';
import { helpModel, type HelpModel } from './commands/help-model.ts';
import { parseMention, type MentionCommand } from './chat/mention.ts';
import { IdempotencyKeys } from './chat/idempotency.ts';

export interface Core {
  readonly services: Services;
  readonly commands: readonly Command[];
  /** Command counts and latencies, for /metrics. */
  readonly metrics: CommandMetrics;
  /** Commands, usage and examples for every help surface (/help, Slack's App Home, deploy scripts). */
  readonly help: HelpModel;
  /** De-duplicates platform deliveries that may repeat (Slack event retries) across replicas. */
  readonly idempotency: IdempotencyKeys;
  /** Run a typed line: "/read raft" (the slash is optional). */
  run(caller: Caller, line: string): Promise<Reply>;
  /** Run a command by name with its argument text (adapters with structured options use this). */
  runCommand(caller: Caller, name: string, args: string): Promise<Reply>;
  /** Save the links in a chat message the caller acted on (reaction, message menu): links only. */
  saveMessage(caller: Caller, text: string): Promise<Reply>;
  /** Which command an @-mention's text asks for (adapters look up what that command needs first). */
  parseMention(text: string): MentionCommand;
  /**
   * Answer an @-mention of the bot, the same on every platform ("@bot help" runs /help; "@bot what
   * should I read about raft?" runs /read raft). The question was asked in the open, so a successful
   * answer goes to the channel.
   */
  mention(caller: Caller, text: string): Promise<Reply>;
  /**
   * A button press: the id is one the core produced (`qr:<command>:<action>:<args>`). */
  press(caller: Caller, buttonId: string): Promise<Reply>;
  /** Autocomplete suggestions for a command option (≤ 25). */
  suggest(command: string, option: string, partial: string): Choice[];
  close(): Promise<void>;
}

export interface CoreOptions {
  config: Config;
  logger?: Logger;
  clock?: Clock;
  /** Defaults to the store named by config.storeUrl. */
  store?: Store;
  /** Defaults to loading config.catalogDir. */
  catalog?: Catalog;
}

/**
 * A press that re-renders a private list (a page of /read or /saved) replaces the message the button
 * was on; everything else keeps the placement its command chose.
 */
function placeAfterPress(r: Reply): Reply {
  return r.status === 'ok' && r.placement === 'private' && r.page ? { ...r, placement: 'update' } : r;
}

export async function createCore(opts: CoreOptions): Promise<Core> {
  const { config } = opts;
  const logger = opts.logger ?? silentLogger;
  const catalog =
    opts.catalog ??
    loadCatalog(config.catalogDir, {
      validatedCachePath: join(config.dataDir, 'index', 'catalog-validated'),
    });
  const search = ReadingSearch.create(catalog, {
    snapshotPath: join(config.dataDir, 'index', 'snapshot.bin'),
  });
  const clock = opts.clock ?? systemClock;
  const store = opts.store ?? (await openStore(config.storeUrl, logger, { clock }));
  // Saves written by an older version move to one list per person; nothing is removed before it is copied.
  await migrateSaves(store, catalog, logger).catch((e: unknown) =>
    logger.error({ err: (e as Error).message }, 'saves migration stopped; it resumes at the next start'),
  );
  const pruning = startPruning(store, logger);
  const tagOfTheDay = new TagOfTheDay({
    store,
    catalog,
    search,
    clock,
    logger,
    defaults: { time: config.tagOfTheDayTime, zone: config.timezone },
  });
  const services: Services = {
    config,
    logger,
    clock,
    catalog,
    search,
    store,
    cursors: new CursorStore(store),
    tagOfTheDay,
    saves: new SavesService(store, catalog, {
      clock,
      ...(config.fetchTitles ? { fetch: { timeoutMs: config.fetchTimeoutMs } } : {}),
    }),
    limiter: new RateLimiter(store, config.rateLimit, clock, logger),
    commands: registeredCommands,
  };
  const byName = new Map(registeredCommands.map((c) => [c.name, c]));
  const names = registeredCommands.map((c) => c.name);
  const metrics = new CommandMetrics();

  // Commands in flight, so close() lets them finish (SIGTERM under load) before the store goes away.
  const inflight = new Set<Promise<Reply>>();
  let closing = false;

  function guarded(name: string, caller: Caller, work: () => Promise<Reply>): Promise<Reply> {
    if (closing) return Promise.resolve(errorReply('Quorum Reads is restarting; try again in a moment.'));
    const run = runGuarded(name, caller, work);
    inflight.add(run);
    void run.finally(() => inflight.delete(run));
    return run;
  }

  async function runGuarded(name: string, caller: Caller, work: () => Promise<Reply>): Promise<Reply> {
    const started = performance.now();
    try {
      // Every command, button and message save counts against the caller's rate limit first.
      const r = defuseReply((await services.limiter.check(caller, name)) ?? (await work()));
      metrics.observe(name, r.status, performance.now() - started);
      logger.info(
        {
          command: name,
          platform: caller.platform,
          status: r.status,
          ms: Math.round(performance.now() - started),
        },
        'command',
      );
      return r;
    } catch (e) {
      metrics.observe(
        name,
        e instanceof StoreUnavailableError ? 'unavailable' : 'failed',
        performance.now() - started,
      );
      if (e instanceof StoreUnavailableError) {
        logger.warn({ command: name, err: scrubSecrets(String(e.cause ?? e)) }, 'store unavailable');
        return errorReply('Storage is unavailable right now; try again in a minute.');
      }
      logger.error({ command: name, err: scrubSecrets((e as Error)?.stack ?? String(e)) }, 'command failed');
      return errorReply(`Sorry, \`/${name}\` failed on our side. Try again in a moment.`);
    }
  }

  const core: Core = {
    services,
    commands: registeredCommands,
    metrics,
    help: helpModel(registeredCommands),
    idempotency: new IdempotencyKeys(store, logger),

    run(caller, line) {
      const m = /^\s*\/?([a-z][a-z0-9-]*)(?:\s+([\s\S]*))?$/i.exec(line);
      if (!m) return Promise.resolve(errorReply('Type a command like `/read raft`, or `/help`.'));
      return core.runCommand(caller, m[1]!.toLowerCase(), m[2] ?? '');
    },

    runCommand(caller, name, args) {
      const command = byName.get(name);
      if (!command) {
        const shown = name.slice(0, 30);
        return Promise.resolve(errorReply(`There is no \`/${shown}\` command. Try \`/help\`.`));
      }
      return guarded(name, caller, () => command.run({ caller, args }, services));
    },

    parseMention(text) {
      return parseMention(text, names);
    },

    async mention(caller, text) {
      const { name, args } = parseMention(text, names);
      const r = await core.runCommand(caller, name, args);
      return r.status === 'ok' ? { ...r, placement: 'channel' } : r;
    },

    saveMessage(caller, text) {
      return guarded('save', caller, () => saveFromMessage(services, caller, text));
    },

    press(caller, buttonId) {
      const [prefix, name = '', action = '', ...args] = buttonId.split(':');
      const command = byName.get(name);
      if (prefix !== 'qr' || !command?.press)
        return Promise.resolve(errorReply('That button is no longer supported. Run the command again.'));
      return guarded(name, caller, () => command.press!(action, args, { caller, args: '' }, services)).then(
        placeAfterPress,
      );
    },

    suggest(name, option, partial) {
      const command = byName.get(name);
      if (!command?.autocomplete) return [];
      try {
        return command.autocomplete(option, partial.slice(0, 100), services).slice(0, 25);
      } catch (e) {
        logger.error({ command: name, err: String(e) }, 'autocomplete failed');
        return [];
      }
    },

    async close() {
      closing = true;
      await Promise.allSettled([...inflight]);
      // Stop the tag-of-the-day timer and let a post in progress finish before the store goes.
      await tagOfTheDay.stop();
      await pruning.stop();
      await store.close();
    },
  };
  return core;
}
