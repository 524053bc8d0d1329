import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { guard, needsProfile, type SlackContext } from '../../context.ts';
import { ephemeralText, respondBody, withFiles } from '../../output.ts';
import { decodeSlackText } from '../../text.ts';

/** "/read" → "read"; "/qr-read" or "/quorum-read" also work for workspaces where a name is taken. */
export const commandName = (slash: string): string => slash.replace(/^\/(?:qr-|quorum-)?/i, '').toLowerCase();

/** Every slash command runs the core command of the same name; "/quorum <line>" runs the line. */
export function slashCommand(ctx: SlackContext) {
  return async ({ command, ack, respond }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    await ack();
    await ctx.ackGate.idle();
    const name = commandName(command.command);
    // Slack hands over the text with &, <, > encoded as entities.
    const text = decodeSlackText(command.text ?? '');
    await guard(
      ctx,
      { event: 'command', command: name, team: command.team_id },
      async () => {
        // "/quorum tagoftheday status" (or "/tagoftheday" typed inside) runs the command it names.
        const first = text.trim().split(/\s+/)[0] ?? '';
        const asked = name === 'quorum' ? first.replace(/^\//, '').toLowerCase() : name;
        const caller = await ctx.callers.caller(
          command.team_id,
          command.user_id,
          command.channel_id,
          needsProfile(ctx, asked),
          command.enterprise_id,
        );
        const r =
          name === 'quorum'
            ? await ctx.core.run(caller, text.trim() || 'help')
            : await ctx.core.runCommand(caller, name, text);
        await respond(respondBody(await withFiles(ctx, caller, r)));
      },
      ephemeralText(respond),
    );
  };
}
