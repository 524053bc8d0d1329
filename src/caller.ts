import type { ChannelAccess } from './tagoftheday/post-failure.ts';

/** Who runs a command and where: the one piece of platform context the core sees. */

export type Platform = 'console' | 'discord' | 'slack' | 'cli';

/** Who is asking, and where. Adapters fill it from the platform event. */
export interface Caller {
  platform: Platform;
  /** Discord guild id, Slack team id; "dm" in Discord DMs; "local" for console/cli. */
  workspaceId: string;
  /**
   * Slack Enterprise Grid organization id (`E…`), when the workspace is part of one: user ids are
   * then the same in every workspace of the organization.
   */
  enterpriseId?: string;
  userId: string;
  channelId: string;
  /** Discord Manage Channels; Slack admin list / workspace admin. Decided by the adapter. */
  canManageChannel: boolean;
  /** IANA zone the platform reports for the user, when it does. */
  timezone?: string;
  locale?: string;
  /**
   * Asked before subscribing this channel to posts: can the bot post here? Adapters that can tell
   * (Discord app_permissions, Slack conversations.info) provide it; without it the core assumes yes.
   */
  channelAccess?: ChannelAccess;
}

/** The user the console and the one-shot CLI act as unless told otherwise: one local list. */
export const LOCAL_USER = 'local';
