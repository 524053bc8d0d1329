import { z } from 'zod';
import { resolve } from 'node:path';
import { parseZone } from './time/parse.ts';

/**
 * All configuration, read from the environment once and validated here. Defaults make `npm start`
 * work on a fresh clone: console adapter, SQLite store under .data/.
 */

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], {
    errorMap: () => ({ message: 'must be true or false' }),
  })
  .transform((v) => ['true', '1', 'yes', 'on'].includes(v));

const port = z.coerce
  .number({ invalid_type_error: 'must be a port number' })
  .int('must be a whole number')
  .min(1, 'must be 1-65535')
  .max(65535, 'must be 1-65535');

/** A count from 1 to `max`; every way of missing it (`5s`, `-1`, `1.5`, empty) gets one message with the unit. */
const positiveInt = (max: number, unit: string) => {
  const message = `must be a whole number of ${unit} from 1 to ${max}`;
  return z.coerce.number({ invalid_type_error: message }).int(message).min(1, message).max(max, message);
};

const optionalString = z
  .string()
  .transform((s) => s.trim())
  .optional()
  .transform((s) => (s ? s : undefined));

const ZONE_HELP = 'must be an IANA time zone like Europe/Berlin or UTC';

/**
 * The default zone for new subscriptions, by the rules `/tagoftheday subscribe` applies to a typed
 * zone (`parseZone`): abbreviations such as EST are refused with the IANA names to use, aliases are
 * stored as the canonical name (`us/eastern` → `America/New_York`).
 */
const timeZone = z.string().transform((value, ctx) => {
  const parsed = parseZone(value);
  if (parsed.ok) return parsed.value;
  const why = parsed.message.startsWith('Unknown time zone') ? '' : `; ${parsed.message}`;
  ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${ZONE_HELP}${why}` });
  return z.NEVER;
});

const defaultZone = (() => {
  const host = parseZone(Intl.DateTimeFormat().resolvedOptions().timeZone ?? '');
  return host.ok ? host.value : 'UTC';
})();

const envSchema = z.object({
  QR_ADAPTER: z.enum(['auto', 'console', 'discord', 'slack']).default('auto'),
  QR_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  QR_LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  QR_DATA_DIR: z.string().min(1).default('.data'),
  QR_CATALOG_DIR: z.string().min(1).default('data'),
  QR_STORE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^(sqlite|redis|rediss|memory):/, 'must start with sqlite://, redis://, rediss:// or memory://')
      .optional(),
  ),
  QR_FETCH_TITLES: bool.default('true'),
  QR_FETCH_TIMEOUT_MS: positiveInt(60_000, 'milliseconds').default(5000),
  QR_TIMEZONE: timeZone.default(defaultZone),
  QR_TAG_OF_THE_DAY_TIME: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM in 24-hour time, like 09:00')
    .default('09:00'),
  QR_RATE_COMMANDS: positiveInt(10_000, 'commands').default(30),
  QR_RATE_SAVES: positiveInt(10_000, 'saves').default(60),
  QR_RATE_WINDOW_SECONDS: positiveInt(86_400, 'seconds').default(60),
  QR_HEALTH_PORT: optionalString.pipe(port.optional()),
  QR_HEALTH_HOST: z
    .string()
    .regex(/^[A-Za-z0-9.:-]+$/, 'must be an address to bind, like 0.0.0.0 or 127.0.0.1')
    .default('0.0.0.0'),

  DISCORD_TOKEN: optionalString,
  DISCORD_APPLICATION_ID: optionalString,
  DISCORD_GUILD_ID: optionalString,
  DISCORD_SAVE_EMOJI: z.string().min(1).default('🔖'),
  DISCORD_MESSAGE_CONTENT: bool.default('false'),

  SLACK_BOT_TOKEN: optionalString.pipe(
    z.string().startsWith('xoxb-', 'must be a bot token starting with xoxb-').optional(),
  ),
  SLACK_APP_TOKEN: optionalString.pipe(
    z.string().startsWith('xapp-', 'must be an app-level token starting with xapp-').optional(),
  ),
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_MODE: z.enum(['socket', 'http']).default('socket'),
  SLACK_PORT: port.default(3000),
  SLACK_ADMIN_USER_IDS: z
    .string()
    .default('')
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    ),
  SLACK_SAVE_REACTION: z.string().min(1).default('bookmark'),
});

export type Env = z.input<typeof envSchema>;

export interface Config {
  adapter: 'console' | 'discord' | 'slack';
  log: { level: string; format: 'json' | 'pretty' };
  dataDir: string;
  catalogDir: string;
  storeUrl: string;
  fetchTitles: boolean;
  fetchTimeoutMs: number;
  timezone: string;
  tagOfTheDayTime: string;
  rateLimit: { commands: number; saves: number; windowSeconds: number };
  healthPort: number | undefined;
  healthHost: string;
  discord: {
    token: string | undefined;
    applicationId: string | undefined;
    guildId: string | undefined;
    saveEmoji: string;
    messageContent: boolean;
  };
  slack: {
    botToken: string | undefined;
    appToken: string | undefined;
    signingSecret: string | undefined;
    mode: 'socket' | 'http';
    port: number;
    adminUserIds: string[];
    saveReaction: string;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parse and check the environment; throws ConfigError naming each bad variable and what is allowed. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => {
        const name = String(i.path[0]);
        const given = env[name];
        const shown = given === undefined ? '' : ` (got ${JSON.stringify(given.slice(0, 40))})`;
        const allowed =
          i.code === 'invalid_enum_value' ? `must be one of ${i.options.join(', ')}` : i.message;
        return `${name} ${allowed}${shown}`;
      }),
    );
  }
  const e = parsed.data;
  const problems: string[] = [];
  const hasDiscord = Boolean(e.DISCORD_TOKEN);
  const hasSlack = Boolean(e.SLACK_BOT_TOKEN);
  let adapter: Config['adapter'];
  if (e.QR_ADAPTER === 'auto') adapter = hasDiscord ? 'discord' : hasSlack ? 'slack' : 'console';
  else adapter = e.QR_ADAPTER;
  if (adapter === 'discord' && !hasDiscord)
    problems.push(
      'DISCORD_TOKEN is required for QR_ADAPTER=discord (the bot token from the Developer Portal)',
    );
  if (adapter === 'slack') {
    if (!hasSlack) problems.push('SLACK_BOT_TOKEN is required for QR_ADAPTER=slack (xoxb-...)');
    if (e.SLACK_MODE === 'socket' && !e.SLACK_APP_TOKEN)
      problems.push('SLACK_APP_TOKEN is required in Socket Mode (xapp-..., with connections:write)');
    if (e.SLACK_MODE === 'http' && !e.SLACK_SIGNING_SECRET)
      problems.push('SLACK_SIGNING_SECRET is required in HTTP mode (Basic Information > App Credentials)');
  }
  if (problems.length) throw new ConfigError(problems);

  const dataDir = resolve(e.QR_DATA_DIR);
  const isTty = Boolean(process.stdout.isTTY);
  return {
    adapter,
    log: {
      level: e.QR_LOG_LEVEL,
      format: e.QR_LOG_FORMAT === 'auto' ? (isTty ? 'pretty' : 'json') : e.QR_LOG_FORMAT,
    },
    dataDir,
    catalogDir: resolve(e.QR_CATALOG_DIR),
    storeUrl: e.QR_STORE_URL ?? `sqlite://${resolve(dataDir, 'quorum.sqlite')}`,
    fetchTitles: e.QR_FETCH_TITLES,
    fetchTimeoutMs: e.QR_FETCH_TIMEOUT_MS,
    timezone: e.QR_TIMEZONE,
    tagOfTheDayTime: e.QR_TAG_OF_THE_DAY_TIME,
    rateLimit: {
      commands: e.QR_RATE_COMMANDS,
      saves: e.QR_RATE_SAVES,
      windowSeconds: e.QR_RATE_WINDOW_SECONDS,
    },
    healthPort: e.QR_HEALTH_PORT,
    healthHost: e.QR_HEALTH_HOST,
    discord: {
      token: e.DISCORD_TOKEN,
      applicationId: e.DISCORD_APPLICATION_ID,
      guildId: e.DISCORD_GUILD_ID,
      saveEmoji: e.DISCORD_SAVE_EMOJI,
      messageContent: e.DISCORD_MESSAGE_CONTENT,
    },
    slack: {
      botToken: e.SLACK_BOT_TOKEN,
      appToken: e.SLACK_APP_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      mode: e.SLACK_MODE,
      port: e.SLACK_PORT,
      adminUserIds: e.SLACK_ADMIN_USER_IDS,
      saveReaction: e.SLACK_SAVE_REACTION,
    },
  };
}
