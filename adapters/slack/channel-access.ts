import { webApi } from '@slack/bolt';
import { PostFailure, type ChannelAccess } from '../../src/tagoftheday/post-failure.ts';

const INVITE =
  'invite me with `/invite @Quorum Reads` in the channel, then run `/tagoftheday subscribe` again';

/**
 * The check asked before subscribing, from `conversations.info` (Slack API docs): an archived channel,
 * a DM or group DM between people, and a private channel the bot is not in cannot take posts. Public
 * channels can, member or not (chat:write.public).
 */
export function slackChannelAccess(client: webApi.WebClient, channelId: string): ChannelAccess {
  return async () => {
    let channel: Record<string, unknown> | undefined;
    try {
      channel = (await client.conversations.info({ channel: channelId })).channel as Record<string, unknown>;
    } catch (e) {
      const code = (e as { data?: { error?: string } }).data?.error;
      // A private channel or a DM the bot is not part of is invisible to it.
      if (code === 'channel_not_found')
        return {
          ok: false,
          message: `I can't see this conversation, so I can't post here. If it is a private channel, ${INVITE}. DMs between people can't get a tag of the day: use a channel.`,
        };
      // Installs from before the :read scopes answer missing_scope, and Slack may be down: the check
      // cannot tell, so subscribing goes ahead and a post that fails for good pauses it then.
      return { ok: true };
    }
    if (!channel) return { ok: true };
    if (channel.is_archived)
      return { ok: false, message: 'This channel is archived: unarchive it, or subscribe another channel.' };
    // The bot sees only its own DMs (is_im): those it can post in. A group DM it is not part of is
    // a conversation between people.
    if (channel.is_mpim && !channel.is_member)
      return {
        ok: false,
        message:
          "Group DMs between people can't get a tag of the day: run `/tagoftheday subscribe` in a channel.",
      };
    if (channel.is_private && !channel.is_member)
      return { ok: false, message: `I'm not a member of this private channel: ${INVITE}.` };
    return { ok: true };
  };
}

/** chat.postMessage errors that mean "this channel will not take our posts" (Slack API docs). */
const PERMANENT: Record<string, string> = {
  is_archived: 'the channel is archived.',
  channel_not_found: 'the channel was deleted, or it is private and the bot was removed from it.',
  not_in_channel: 'the bot is not a member of the channel.',
  restricted_action: 'a workspace setting keeps the bot from posting in this channel.',
  team_access_not_granted: 'the bot no longer has access to this workspace.',
};

/** A post's Web API failure as the scheduler's PostFailure (permanent: pause; transient: back off). */
export function slackPostFailure(e: unknown): PostFailure {
  const err = e as { code?: string; data?: { error?: string }; retryAfter?: number; statusCode?: number };
  if (err.code === webApi.ErrorCode.PlatformError) {
    const code = err.data?.error ?? 'unknown';
    const reason = PERMANENT[code];
    if (reason) return new PostFailure('permanent', code, reason, { cause: e });
    return new PostFailure('transient', code, `Slack answered ${code}`, { cause: e });
  }
  if (err.code === webApi.ErrorCode.RateLimitedError)
    return new PostFailure('transient', 'ratelimited', 'Slack rate limit', {
      retryAfterMs: (err.retryAfter ?? 60) * 1000,
      cause: e,
    });
  if (err.code === webApi.ErrorCode.HTTPError)
    return new PostFailure('transient', `http_${err.statusCode ?? 0}`, 'Slack answered an HTTP error', {
      cause: e,
    });
  return new PostFailure('transient', 'network', 'Slack could not be reached', { cause: e });
}

/**
 * Tell the subscriber: an ephemeral message in the channel when that still works, else a DM (posting
 * to a user id opens the app's DM with them).
 */
export async function slackNotify(
  client: webApi.WebClient,
  channelId: string,
  userId: string,
  text: string,
): Promise<void> {
  try {
    await client.chat.postEphemeral({ channel: channelId, user: userId, text });
  } catch {
    await client.chat.postMessage({ channel: userId, text });
  }
}
