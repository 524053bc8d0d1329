// Gateway payloads for the Discord cache bench (bench/discord-cache.ts): guilds shaped like the ones a
// public bot sits in (a few large, most small), and the traffic of a busy hour in them. Seeded, so
// every run sends the same guilds and events. Shapes follow discord-api-types v10.
import {
  ChannelFlags,
  ChannelType,
  GuildMemberFlags,
  MessageFlags,
  RoleFlags,
  type APIChannel,
  type APIEmoji,
  type APIGuildMember,
  type APIMessage,
  type APIRole,
  type APIThreadChannel,
  type APIUser,
  type GatewayGuildCreateDispatchData,
} from 'discord-api-types/v10';
import { prng } from './synthetic-catalog.ts';
import { BOT, messagePayload } from '../tests/discord/fake-discord.ts';

const DISCORD_EPOCH = 1420070400000n;
let counter = 0n;
/** A snowflake whose timestamp is now, as Discord mints them. */
export const snowflake = (): string =>
  String(((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | (++counter & 0x3fffffn));

const WORDS =
  'raft paxos consensus leader election replication log quorum read write latency partition clock vector lamport crdt merge conflict shard index cache queue stream kafka zookeeper etcd spanner dynamo gossip failure detector lease lock transaction isolation snapshot serializable linearizable eventual consistency'.split(
    ' ',
  );

export interface BenchGuild {
  payload: GatewayGuildCreateDispatchData;
  /** Text channels people write in. */
  textChannels: string[];
  roles: string[];
}

export interface TrafficRates {
  /** Events per simulated minute, over all guilds. */
  messages: number;
  reactions: number;
  interactions: number;
  threads: number;
  mentions: number;
}

/** A busy public bot's hour: 36k messages, 3.6k reactions, 600 slash commands, 180 threads, 60 mentions. */
export const DEFAULT_RATES: TrafficRates = {
  messages: 600,
  reactions: 60,
  interactions: 10,
  threads: 3,
  mentions: 1,
};

export class GuildWorld {
  readonly guilds: BenchGuild[] = [];
  private readonly rand: () => number;
  private readonly users: APIUser[] = [];

  /** `guilds` guilds; people drawn from a pool of `people` users. */
  constructor(guilds: number, people = 30_000, seed = 15) {
    this.rand = prng(seed);
    for (let i = 0; i < people; i++)
      this.users.push({
        id: snowflake(),
        username: `reader${i}`,
        discriminator: '0',
        global_name: this.rand() < 0.6 ? `Reader ${i}` : null,
        avatar: this.rand() < 0.7 ? 'a1b2c3d4e5f60718293a4b5c6d7e8f90' : null,
      });
    for (let g = 0; g < guilds; g++) this.guilds.push(this.guild(g));
  }

  private int(min: number, max: number): number {
    return min + Math.floor(this.rand() * (max - min + 1));
  }

  private words(n: number): string {
    return Array.from({ length: n }, () => WORDS[Math.floor(this.rand() * WORDS.length)]).join(' ');
  }

  /** Busy guilds get most traffic: a guild index skewed towards the first ones. */
  private busyGuild(): BenchGuild {
    return this.guilds[Math.floor(this.guilds.length * this.rand() ** 2)]!;
  }

  private person(): APIUser {
    return this.users[Math.floor(this.users.length * this.rand())]!;
  }

  private member(user: APIUser, roles: string[]): APIGuildMember {
    return {
      user,
      nick: this.rand() < 0.2 ? `nick ${user.username}` : null,
      avatar: null,
      roles: roles.filter(() => this.rand() < 0.15).slice(0, 5),
      joined_at: new Date(Date.now() - this.int(1, 900) * 86_400_000).toISOString(),
      premium_since: null,
      deaf: false,
      mute: false,
      flags: 0 as GuildMemberFlags,
      pending: false,
    };
  }

  private guild(index: number): BenchGuild {
    const id = snowflake();
    // One guild in ten is large (hundreds of channels, roles and emojis); most are small.
    const large = this.rand() < 0.1;
    const roleCount = large ? this.int(40, 120) : this.int(3, 25);
    const roles: APIRole[] = Array.from({ length: roleCount }, (_, r) => ({
      id: r === 0 ? id : snowflake(),
      name: r === 0 ? '@everyone' : `role ${this.words(2)}`,
      color: r === 0 ? 0 : this.int(0, 0xffffff),
      colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
      hoist: this.rand() < 0.2,
      icon: null,
      unicode_emoji: null,
      position: r,
      permissions: r === 0 ? '1071698660929' : String(this.int(0, 2 ** 31)),
      managed: false,
      mentionable: this.rand() < 0.3,
      flags: 0 as RoleFlags,
    }));
    const roleIds = roles.map((r) => r.id);
    const overwrites = () =>
      Array.from({ length: this.int(0, large ? 6 : 3) }, () => ({
        id: roleIds[this.int(0, roleIds.length - 1)]!,
        type: 0 as const,
        allow: String(this.int(0, 2 ** 20)),
        deny: String(this.int(0, 2 ** 20)),
      }));
    const categories = Array.from({ length: large ? this.int(8, 20) : this.int(1, 5) }, (_, c) => ({
      id: snowflake(),
      type: ChannelType.GuildCategory,
      name: `category ${c}`,
      position: c,
      permission_overwrites: overwrites(),
      flags: 0,
    }));
    const channels: Array<Record<string, unknown>> = [...categories];
    const textChannels: string[] = [];
    const count = large ? this.int(60, 250) : this.int(5, 40);
    for (let c = 0; c < count; c++) {
      const parent = categories[this.int(0, categories.length - 1)]!.id;
      const kind = this.rand();
      const base = {
        id: snowflake(),
        name: `${this.words(1)}-${c}`,
        position: c,
        parent_id: parent,
        permission_overwrites: overwrites(),
        flags: 0,
        nsfw: false,
      };
      if (kind < 0.7) {
        channels.push({
          ...base,
          type: ChannelType.GuildText,
          topic: this.rand() < 0.5 ? this.words(this.int(3, 20)) : null,
          rate_limit_per_user: 0,
          last_message_id: snowflake(),
          default_thread_rate_limit_per_user: 0,
        });
        textChannels.push(base.id);
      } else if (kind < 0.92)
        channels.push({
          ...base,
          type: ChannelType.GuildVoice,
          bitrate: 64000,
          user_limit: 0,
          rtc_region: null,
          last_message_id: null,
          rate_limit_per_user: 0,
        });
      else if (kind < 0.97)
        channels.push({ ...base, type: ChannelType.GuildAnnouncement, topic: null, last_message_id: null });
      else
        channels.push({
          ...base,
          type: ChannelType.GuildForum,
          topic: null,
          available_tags: [
            { id: snowflake(), name: 'question', moderated: false, emoji_id: null, emoji_name: null },
          ],
          default_reaction_emoji: null,
          default_sort_order: null,
          default_forum_layout: 0,
          last_message_id: null,
          rate_limit_per_user: 0,
        });
    }
    const emojis: APIEmoji[] = Array.from(
      { length: large ? this.int(50, 250) : this.int(0, 30) },
      (_, e) => ({
        id: snowflake(),
        name: `emoji_${e}`,
        roles: [],
        require_colons: true,
        managed: false,
        animated: this.rand() < 0.2,
        available: true,
      }),
    );
    const threads: APIThreadChannel[] = Array.from({ length: this.int(0, large ? 10 : 2) }, () =>
      this.thread(id, textChannels[0] ?? categories[0]!.id),
    );
    // Without the privileged members and presences intents, GUILD_CREATE lists only the bot and
    // people in voice channels (Discord's docs, Guild Create event).
    const voice = Array.from({ length: this.int(0, large ? 8 : 2) }, () => this.person());
    const members = [this.member(BOT, []), ...voice.map((u) => this.member(u, roleIds))];
    const payload = {
      id,
      name: `Study group ${index} ${this.words(2)}`,
      icon: null,
      splash: null,
      discovery_splash: null,
      owner_id: this.person().id,
      region: 'deprecated',
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: 1,
      default_message_notifications: 1,
      explicit_content_filter: 2,
      roles,
      emojis,
      features: large ? ['COMMUNITY', 'NEWS', 'INVITE_SPLASH'] : [],
      mfa_level: 0,
      application_id: null,
      system_channel_id: textChannels[0] ?? null,
      system_channel_flags: 0,
      rules_channel_id: null,
      vanity_url_code: null,
      description: null,
      banner: null,
      premium_tier: large ? 2 : 0,
      premium_subscription_count: large ? 9 : 0,
      preferred_locale: 'en-US',
      public_updates_channel_id: null,
      nsfw_level: 0,
      premium_progress_bar_enabled: false,
      safety_alerts_channel_id: null,
      stickers: [],
      joined_at: new Date(Date.now() - this.int(1, 700) * 86_400_000).toISOString(),
      large: large,
      unavailable: false,
      member_count: large ? this.int(1_000, 50_000) : this.int(5, 900),
      voice_states: voice.map((u) => ({
        guild_id: id,
        channel_id: channels.find((c) => c.type === ChannelType.GuildVoice)?.id ?? null,
        user_id: u.id,
        session_id: snowflake(),
        deaf: false,
        mute: false,
        self_deaf: false,
        self_mute: this.rand() < 0.5,
        self_video: false,
        suppress: false,
        request_to_speak_timestamp: null,
      })),
      members,
      channels: channels as unknown as APIChannel[],
      threads,
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
      incidents_data: null,
    } as unknown as GatewayGuildCreateDispatchData;
    return { payload, textChannels, roles: roleIds };
  }

  private thread(guildId: string, parentId: string): APIThreadChannel {
    return {
      id: snowflake(),
      type: ChannelType.PublicThread,
      guild_id: guildId,
      parent_id: parentId,
      owner_id: this.person().id,
      name: `thread about ${this.words(3)}`,
      last_message_id: null,
      message_count: this.int(0, 50),
      member_count: this.int(1, 10),
      rate_limit_per_user: 0,
      total_message_sent: this.int(0, 50),
      flags: 0 as ChannelFlags,
      thread_metadata: {
        archived: false,
        auto_archive_duration: 1440,
        archive_timestamp: new Date().toISOString(),
        locked: false,
      },
    } as APIThreadChannel;
  }

  /** One simulated minute of gateway dispatches, as [event name, payload]. */
  *minute(
    rates: TrafficRates,
    interaction: (guildId: string, channelId: string, member: APIGuildMember) => unknown,
  ) {
    const pickChannel = () => {
      for (;;) {
        const g = this.busyGuild();
        if (g.textChannels.length)
          return { g, channel: g.textChannels[this.int(0, g.textChannels.length - 1)]! };
      }
    };
    for (let i = 0; i < rates.messages; i++) {
      const { g, channel } = pickChannel();
      const author = this.person();
      yield ['MESSAGE_CREATE', this.message(g, channel, author, this.words(this.int(4, 40)))] as const;
    }
    for (let i = 0; i < rates.mentions; i++) {
      const { g, channel } = pickChannel();
      const m = this.message(
        g,
        channel,
        this.person(),
        `<@${BOT.id}> what should I read about ${this.words(2)}?`,
      );
      yield ['MESSAGE_CREATE', { ...m, mentions: [BOT] }] as const;
    }
    for (let i = 0; i < rates.reactions; i++) {
      const { g, channel } = pickChannel();
      const user = this.person();
      yield [
        'MESSAGE_REACTION_ADD',
        {
          user_id: user.id,
          channel_id: channel,
          message_id: snowflake(),
          guild_id: g.payload.id,
          member: this.member(user, g.roles),
          emoji: { id: null, name: ['👍', '🎉', '❤️', '😂'][this.int(0, 3)]! },
          burst: false,
          type: 0,
        },
      ] as const;
    }
    for (let i = 0; i < rates.threads; i++) {
      const { g, channel } = pickChannel();
      yield ['THREAD_CREATE', { ...this.thread(g.payload.id, channel), newly_created: true }] as const;
    }
    for (let i = 0; i < rates.interactions; i++) {
      const { g, channel } = pickChannel();
      yield [
        'INTERACTION_CREATE',
        interaction(g.payload.id, channel, {
          ...this.member(this.person(), g.roles),
          permissions: '1024',
        } as APIGuildMember),
      ] as const;
    }
  }

  private message(g: BenchGuild, channel: string, author: APIUser, content: string) {
    const { user: _user, ...member } = this.member(author, g.roles);
    return {
      ...messagePayload({ id: snowflake(), channel_id: channel, author, content }),
      guild_id: g.payload.id,
      member,
      flags: 0 as MessageFlags,
    } satisfies Omit<APIMessage, 'member'> & Record<string, unknown>;
  }
}
