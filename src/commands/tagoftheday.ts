import type { Caller, Choice, Command } from './types.ts';
import type { Services } from '../services.ts';
import { errorReply, reply, type Reply } from '../reply.ts';
import { checkArgument } from '../text/safe.ts';
import { looksLikeTime, parseTimeOfDay, parseZone, shown } from '../time/parse.ts';
import { formatLocal, zoneProblem } from '../time/daily.ts';
import type { ChannelRef, Subscription } from '../tagoftheday/service.ts';

const USAGE = '/tagoftheday subscribe [HH:MM] [timezone] | unsubscribe | status | preview | skip';

export const MANAGERS_ONLY =
  'Only people who can manage this channel can change its tag of the day (Discord: Manage Channels; Slack: a workspace admin or a bot admin).';

function refOf(caller: Caller): ChannelRef {
  return { platform: caller.platform, workspaceId: caller.workspaceId, channelId: caller.channelId };
}

/** "in 3 h 12 min", "in 40 min", "now". */
export function untilText(ms: number): string {
  if (ms < 60_000) return 'now';
  const minutes = Math.round(ms / 60_000);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `in ${h ? `${h} h` : ''}${h && m ? ' ' : ''}${m ? `${m} min` : ''}`;
}

function tagName(services: Services, tag: string | undefined): string {
  if (!tag) return 'no topic (the catalog has none with 3+ readings)';
  const label = services.catalog.tagById.get(tag)?.label ?? tag;
  return `**${label}** (\`${tag}\`)`;
}

/** What is wrong with a stored subscription that keeps it from posting, and how to fix it. */
function blocked(sub: Subscription): string | undefined {
  const problem = zoneProblem(sub.zone);
  if (problem)
    return `Posts here are stopped: ${problem}. Fix it by subscribing again with a valid zone: \`/tagoftheday subscribe ${sub.time} <zone>\`, like \`/tagoftheday subscribe ${sub.time} Europe/Berlin\`.`;
  if (sub.paused)
    return `Posts here are paused since ${new Date(sub.paused.since).toISOString().slice(0, 10)}: ${sub.paused.reason} (error ${sub.paused.code}). Once that is fixed, run \`/tagoftheday subscribe\` here again to resume.`;
  return undefined;
}

function nextLine(services: Services, sub: Subscription): string {
  const stop = blocked(sub);
  if (stop) return stop;
  const now = services.clock.now();
  const at = services.tagOfTheDay.nextPostAt(sub, now);
  const next = services.tagOfTheDay.nextTag(sub, sub);
  return `Next post: ${formatLocal(at, sub.zone)} ${sub.zone} (${untilText(at - now)}), about ${tagName(services, next)}.`;
}

/** Split "9:30 pm Europe/Berlin" into time and zone, in either order. */
function parseSubscribeArgs(words: string[]): { time?: string; zone?: string; error?: string } {
  const tokens: string[] = [];
  for (const w of words) {
    if (/^[ap]\.?m\.?$/i.test(w) && tokens.length && /^\d{1,2}(:\d{2})?$/.test(tokens[tokens.length - 1]!))
      tokens[tokens.length - 1] += w;
    else tokens.push(w);
  }
  if (tokens.length > 2)
    return {
      error: `Too many words after \`subscribe\`: give at most a time and a time zone, like \`/tagoftheday subscribe 09:00 Europe/Berlin\`.`,
    };
  const out: { time?: string; zone?: string; error?: string } = {};
  for (const t of tokens) {
    if (looksLikeTime(t)) {
      if (out.time) return { error: `Give one time, not two ("${shown(t)}").` };
      const p = parseTimeOfDay(t);
      if (!p.ok) return { error: p.message };
      out.time = p.value;
    } else {
      if (out.zone) return { error: `Give one time zone, not two ("${shown(t)}").` };
      const p = parseZone(t);
      if (!p.ok) return { error: p.message };
      out.zone = p.value;
    }
  }
  return out;
}

/** The zone the platform reports for the caller, when it is one we accept. */
function callerZone(caller: Caller): string | undefined {
  if (!caller.timezone) return undefined;
  const p = parseZone(caller.timezone);
  return p.ok ? p.value : undefined;
}

async function subscribe(caller: Caller, words: string[], services: Services): Promise<Reply> {
  if (!caller.canManageChannel) return errorReply(MANAGERS_ONLY);
  const parsed = parseSubscribeArgs(words);
  if (parsed.error) return errorReply(parsed.error);
  const tod = services.tagOfTheDay;
  const ref = refOf(caller);
  const prev = await tod.get(ref);
  if (caller.channelAccess) {
    const access = await caller.channelAccess();
    if (!access.ok) return errorReply(access.message);
  }
  // Changing only the time keeps the zone (and the other way round); a zone that went bad is not kept.
  const kept = prev?.active && !zoneProblem(prev.zone) ? prev : undefined;
  const time = parsed.time ?? kept?.time ?? services.config.tagOfTheDayTime;
  const zone = parsed.zone ?? kept?.zone ?? callerZone(caller) ?? services.config.timezone;
  const sub = await tod.subscribe(ref, time, zone, caller.userId);
  const what = prev?.active && !prev.paused ? 'now gets' : 'will get';
  return reply(
    `This channel ${what} a tag of the day every day at **${sub.time} ${sub.zone}**: one topic with its 3 best readings. ${nextLine(services, sub)}`,
  );
}

const sub: Command['subcommands'] = [
  {
    name: 'subscribe',
    description: 'Post a topic with its best readings here every day (channel managers)',
    options: [
      { name: 'time', description: 'Local time, HH:MM 24-hour (default 09:00)' },
      {
        name: 'timezone',
        description: 'IANA zone like Europe/Berlin (default: yours or the server’s)',
        autocomplete: true,
      },
    ],
  },
  {
    name: 'unsubscribe',
    description: 'Stop the daily topic in this channel (channel managers)',
    options: [],
  },
  { name: 'status', description: 'When the next topic is posted here, and which', options: [] },
  { name: 'preview', description: 'See what the next post will look like (only you)', options: [] },
  {
    name: 'skip',
    description: 'Skip the next topic and move to the one after (channel managers)',
    options: [],
  },
];

export const tagoftheday: Command = {
  name: 'tagoftheday',
  usesCallerProfile: true,
  description: 'A daily topic with its best readings, posted in this channel',
  usage: USAGE,
  examples: [
    '/tagoftheday subscribe',
    '/tagoftheday subscribe 08:30 Europe/Berlin',
    '/tagoftheday status',
    '/tagoftheday preview',
  ],
  options: [],
  subcommands: sub,

  async run({ caller, args }, services) {
    const input = checkArgument(args, 'input', { required: false, max: 200 });
    if (!input.ok) return errorReply(`${input.message} Usage: \`${USAGE}\``);
    const [first = '', ...rest] = input.value.split(' ').filter(Boolean);
    const action = first.toLowerCase();
    const tod = services.tagOfTheDay;
    const ref = refOf(caller);

    switch (action) {
      case 'subscribe':
        return subscribe(caller, rest, services);

      case 'unsubscribe': {
        if (!caller.canManageChannel) return errorReply(MANAGERS_ONLY);
        const was = await tod.unsubscribe(ref, caller.userId);
        return reply(
          was
            ? 'This channel will no longer get a tag of the day. `/tagoftheday subscribe` resumes where it left off.'
            : 'This channel is not subscribed to the tag of the day; nothing to stop.',
        );
      }

      case 'status': {
        const s = await tod.get(ref);
        if (!s?.active)
          return reply(
            'This channel is not subscribed to the tag of the day. A channel manager can start it with `/tagoftheday subscribe [HH:MM] [timezone]`.',
          );
        const today = s.lastPostedDate
          ? ` Last post: ${s.lastPostedDate}${s.lastTag ? ` (\`${s.lastTag}\`)` : ''}.`
          : '';
        return reply(
          `Tag of the day here: every day at **${s.time} ${s.zone}**. ${nextLine(services, s)}${today}`,
        );
      }

      case 'preview': {
        const s = await tod.get(ref);
        const tag = tod.nextTag(ref, s);
        if (!tag) return errorReply('No topic has enough readings for a tag of the day yet.');
        const post = tod.buildPost(tag);
        const stop = s?.active ? blocked(s) : undefined;
        const note = stop
          ? `${stop} This is what the next post would look like; only you see this.`
          : s?.active
            ? `Preview of the next tag of the day (${formatLocal(tod.nextPostAt(s, services.clock.now()), s.zone)} ${s.zone}); only you see this.`
            : 'Preview of what this channel would get first (it is not subscribed); only you see this.';
        return { ...post, text: `${note}\n\n${post.text}`, placement: 'private' };
      }

      case 'skip': {
        if (!caller.canManageChannel) return errorReply(MANAGERS_ONLY);
        const r = await tod.skip(ref, caller.userId);
        if (!r)
          return errorReply(
            'This channel is not subscribed to the tag of the day, so there is nothing to skip.',
          );
        return reply(
          `Skipped ${tagName(services, r.skipped)}. The next post will be about ${tagName(services, r.next)}.`,
        );
      }

      case '':
        return reply(
          `Tag of the day: a topic with its 3 best readings, posted here daily. Usage: \`${USAGE}\``,
        );

      default:
        return errorReply(`Unknown action "${shown(first)}". Usage: \`${USAGE}\``);
    }
  },

  autocomplete(option, partial): Choice[] {
    if (option !== 'timezone') return [];
    const q = partial.trim().toLowerCase().replace(/\s+/g, '_');
    const zones = ['UTC', ...Intl.supportedValuesOf('timeZone')];
    return zones
      .filter((z) => z.toLowerCase().includes(q))
      .slice(0, 25)
      .map((z) => ({ name: z, value: z }));
  },
};
