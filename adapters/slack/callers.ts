import type { webApi } from '@slack/bolt';
import { LRUCache } from 'lru-cache';
import type { Caller } from '../../src/caller.ts';
import type { Config } from '../../src/config.ts';
import type { Logger } from '../../src/logger.ts';
import { slackChannelAccess } from './channel-access.ts';
import { errorText } from './errors.ts';

interface Profile {
  admin: boolean;
  tz?: string;
  locale?: string;
}

/**
 * Who is asking, as the core's Caller. A user's admin flag, time zone and locale come from users.info
 * (Tier 4, per workspace), cached for `cacheMs`, and only asked for when the command reads them.
 */
export class SlackCallers {
  /** The 5,000 most recently asked-about users (a bound on memory; freshness is `cacheMs`). */
  private readonly users = new LRUCache<string, Profile & { at: number }>({ max: 5000 });

  constructor(
    private readonly client: webApi.WebClient,
    private readonly slack: Config['slack'],
    private readonly log: Logger,
    private readonly cacheMs: number,
  ) {}

  async caller(
    teamId: string | undefined,
    userId: string,
    channelId: string | undefined,
    profile: boolean,
    /** The Enterprise Grid organization (`E…`) the payload names, if any: one list per org user. */
    enterpriseId?: string | null,
  ): Promise<Caller> {
    const team = teamId ?? 'unknown';
    const info: Profile = profile ? await this.userInfo(team, userId) : { admin: false };
    const caller: Caller = {
      platform: 'slack',
      workspaceId: team,
      userId,
      channelId: channelId ?? '',
      canManageChannel: this.slack.adminUserIds.includes(userId) || info.admin,
      channelAccess: slackChannelAccess(this.client, channelId ?? ''),
    };
    if (enterpriseId) caller.enterpriseId = enterpriseId;
    if (info.tz) caller.timezone = info.tz;
    if (info.locale) caller.locale = info.locale;
    return caller;
  }

  private async userInfo(teamId: string, userId: string): Promise<Profile> {
    const key = `${teamId}:${userId}`;
    const cached = this.users.get(key);
    const now = Date.now();
    if (cached && now - cached.at < this.cacheMs) return cached;
    let entry: Profile & { at: number };
    try {
      const res = await this.client.users.info({ user: userId, include_locale: true });
      const u = res.user;
      entry = { at: now, admin: Boolean(u?.is_admin || u?.is_owner || u?.is_primary_owner) };
      if (u?.tz) entry.tz = u.tz;
      if (u?.locale) entry.locale = u.locale;
    } catch (e) {
      this.log.warn(
        { err: errorText(e), team: teamId },
        'slack: users.info failed; treating the user as a non-admin',
      );
      // Cache the failure briefly too, so a missing scope does not cost a call per command.
      entry = { at: now - this.cacheMs + 30_000, admin: false };
    }
    this.users.set(key, entry);
    return entry;
  }
}
