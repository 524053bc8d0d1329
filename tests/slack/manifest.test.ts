// manifest.yml stays in step with the core's commands and with what the adapter listens for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { SAVE_SHORTCUT } from '../../adapters/slack/index.ts';
import { commands } from '../../src/commands/registry.ts';

const manifest = readFileSync(new URL('../../manifest.yml', import.meta.url), 'utf8');
const listed = [...manifest.matchAll(/^\s*- command: \/([a-z0-9_-]+)\s*$/gm)].map((m) => m[1]);

test('manifest.yml declares a slash command for every core command, and no others', () => {
  assert.deepEqual([...listed].sort(), commands.map((c) => c.name).sort());
  // Slack limits: descriptions ≤ 100 characters shown in the picker, usage hints short.
  for (const m of manifest.matchAll(/^\s+description: (.+)$/gm)) assert.ok(m[1]!.length <= 100, m[1]);
});

test('manifest.yml enables what the adapter uses: Socket Mode, interactivity, App Home, events, shortcut, scopes', () => {
  assert.match(manifest, /socket_mode_enabled: true/);
  assert.match(manifest, /interactivity:\s*\n\s+is_enabled: true/);
  assert.match(manifest, /home_tab_enabled: true/);
  assert.match(manifest, new RegExp(`callback_id: ${SAVE_SHORTCUT}\\b`));
  assert.match(manifest, /type: message/);
  for (const e of ['app_home_opened', 'app_mention', 'reaction_added'])
    assert.match(manifest, new RegExp(`^\\s+- ${e}$`, 'm'));
  for (const s of [
    'commands',
    'app_mentions:read',
    'chat:write',
    'chat:write.public',
    'reactions:read',
    'channels:history',
    'groups:history',
    'im:history',
    'mpim:history',
    'users:read',
    'im:write',
    'files:write',
  ])
    assert.match(manifest, new RegExp(`^\\s+- ${s.replace('.', '\\.')}$`, 'm'), s);
});
