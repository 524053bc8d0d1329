import type { types } from '@slack/bolt';
import type { Caller } from '../../../src/caller.ts';
import type { Reply } from '../../../src/reply.ts';
import { LIMITS, escapeMrkdwn, replyBlocks, toMrkdwn } from '../blocks.ts';
import type { SlackContext } from '../context.ts';
import { baseReaction } from '../messages.ts';

type KnownBlock = types.KnownBlock;

/** The App Home's listing of commands, from the core's help model. */
function commandListing(ctx: SlackContext): string {
  return ctx.core.help.commands
    .map(
      (c) =>
        `\`${escapeMrkdwn(c.usage)}\` ${escapeMrkdwn(c.description)}, e.g. \`${escapeMrkdwn(c.examples[0]!)}\``,
    )
    .join('\n');
}

/**
 * Publish the user's App Home: what the bot does, every command, then their latest saves (or, when a
 * button on the home was pressed, its answer: a page of saves or a notice).
 */
export async function publishHome(
  ctx: SlackContext,
  caller: Caller,
  extra: { saves?: Reply; notice?: Reply } = {},
): Promise<void> {
  const { core } = ctx;
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'Quorum Reads', emoji: true } },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text:
          'Reading recommendations on distributed systems. Use the slash commands in any channel (answers only you can see until you press *Share*), react with ' +
          `:${escapeMrkdwn(baseReaction(ctx.slack.saveReaction))}: to a message or use the *Save links* message shortcut to save its links.`,
      },
    },
    { type: 'section', text: { type: 'mrkdwn', text: commandListing(ctx).slice(0, LIMITS.sectionText) } },
  ];
  if (extra.notice) {
    blocks.push({ type: 'divider' });
    blocks.push(
      ...replyBlocks(extra.notice, { withoutButtons: true, withoutReadingActions: true, maxBlocks: 5 }),
    );
  }
  blocks.push({ type: 'divider' });
  if (core.commands.some((c) => c.name === 'saved')) {
    blocks.push({ type: 'header', text: { type: 'plain_text', text: 'Your latest saves', emoji: true } });
    const saves = extra.saves ?? (await core.runCommand(caller, 'saved', ''));
    blocks.push(...replyBlocks(saves, { maxBlocks: LIMITS.homeBlocks - blocks.length }));
  } else {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: toMrkdwn(core.help.footnote).slice(0, LIMITS.sectionText) },
    });
  }
  await ctx.client.views.publish({
    user_id: caller.userId,
    view: { type: 'home', blocks: blocks.slice(0, LIMITS.homeBlocks) },
  });
}
