import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { loadConfig, ConfigError } from '../src/config.ts';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (e) {
    assert.ok(e instanceof ConfigError);
    return e.problems;
  }
  assert.fail('config accepted');
}

test('with no settings the bot runs the console on the embedded SQLite store', () => {
  const c = loadConfig({});
  assert.equal(c.adapter, 'console');
  assert.match(c.storeUrl, /^sqlite:\/\/.*quorum\.sqlite$/);
  assert.equal(c.rateLimit.commands > 0, true);
});

test('a Discord token selects Discord; a Slack bot token selects Slack', () => {
  assert.equal(loadConfig({ DISCORD_TOKEN: 'abc' }).adapter, 'discord');
  assert.equal(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }).adapter, 'slack');
});

test('bad values name the variable and what is allowed', () => {
  assert.match(problems({ QR_LOG_LEVEL: 'loud' }).join(), /QR_LOG_LEVEL must be one of fatal, error/);
  assert.match(problems({ QR_TIMEZONE: 'Mars/Base' }).join(), /QR_TIMEZONE must be an IANA time zone/);
  assert.match(problems({ QR_HEALTH_PORT: '99999' }).join(), /QR_HEALTH_PORT must be 1-65535/);
  assert.match(problems({ QR_STORE_URL: 'mongodb://x' }).join(), /QR_STORE_URL must start with sqlite:\/\//);
  assert.match(problems({ QR_FETCH_TITLES: 'maybe' }).join(), /QR_FETCH_TITLES must be one of true, false/);
  assert.match(problems({ QR_TAG_OF_THE_DAY_TIME: '25:00' }).join(), /HH:MM/);
  assert.match(
    problems({ SLACK_BOT_TOKEN: 'abc' }).join(),
    /SLACK_BOT_TOKEN must be a bot token starting with xoxb-/,
  );
});

test('QR_TIMEZONE follows the /tagoftheday zone rules: abbreviations refused with the IANA names, aliases stored canonical', () => {
  // `/tagoftheday subscribe 9am EST` is refused because EST ignores daylight saving time; the
  // default zone new subscriptions get must not let it in through the environment.
  const est = problems({ QR_TIMEZONE: 'EST' }).join();
  assert.match(est, /QR_TIMEZONE must be an IANA time zone/);
  assert.match(est, /America\/New_York/);
  assert.match(problems({ QR_TIMEZONE: 'CEST' }).join(), /Europe\/Berlin/);
  assert.equal(loadConfig({ QR_TIMEZONE: 'us/eastern' }).timezone, 'America/New_York');
  assert.equal(loadConfig({ QR_TIMEZONE: 'Europe/Berlin' }).timezone, 'Europe/Berlin');
});

test('numeric settings say the range and unit they accept, not a parser message', () => {
  for (const [name, value] of [
    ['QR_FETCH_TIMEOUT_MS', '5s'],
    ['QR_FETCH_TIMEOUT_MS', '-1'],
    ['QR_FETCH_TIMEOUT_MS', ''],
  ] as const) {
    const msg = problems({ [name]: value }).join();
    assert.match(msg, /QR_FETCH_TIMEOUT_MS must be a whole number of milliseconds from 1 to 60000/, msg);
    assert.doesNotMatch(msg, /received nan|Number must be/);
  }
  assert.match(
    problems({ QR_RATE_COMMANDS: 'abc' }).join(),
    /QR_RATE_COMMANDS must be a whole number of commands from 1 to 10000 \(got "abc"\)/,
  );
  assert.match(
    problems({ QR_RATE_WINDOW_SECONDS: '0' }).join(),
    /QR_RATE_WINDOW_SECONDS must be a whole number of seconds from 1 to 86400/,
  );
});

test('a platform chosen without its token is refused with what to set', () => {
  assert.match(problems({ QR_ADAPTER: 'discord' }).join(), /DISCORD_TOKEN is required/);
  assert.match(
    problems({ QR_ADAPTER: 'slack', SLACK_BOT_TOKEN: 'xoxb-1' }).join(),
    /SLACK_APP_TOKEN is required in Socket Mode/,
  );
  assert.match(
    problems({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_MODE: 'http' }).join(),
    /SLACK_SIGNING_SECRET is required in HTTP mode/,
  );
});

test('npm start with a bad setting exits non-zero naming the variable, without echoing secrets', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, QR_ADAPTER: 'slack', SLACK_BOT_TOKEN: 'xoxb-secret-123', QR_LOG_LEVEL: 'info' },
    encoding: 'utf8',
    input: '',
  });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /SLACK_APP_TOKEN is required/);
  assert.doesNotMatch(r.stderr + r.stdout, /xoxb-secret-123/);
});
