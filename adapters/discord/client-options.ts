/**
 * What the Discord client keeps in memory. discord.js caches by default every member, user, emoji,
 * sticker, voice state and 200 messages per channel it ever sees, and sweeps only archived threads: one
 * shard in 2,500 guilds grows with every message and interaction. The bot reads none of that back (it
 * answers from the event's own payload, fetches partial messages for 🔖 reactions and posts through
 * REST), so those caches are off or small, and what may still gather is swept.
 *
 * Guilds, channels, roles and permission overwrites keep discord.js's defaults (overriding them "is
 * unsupported and will break functionality", ClientOptions.makeCache in discord.js's docs); they stay
 * nearly empty because the client runs without the Guilds intent (adapters/discord/index.ts).
 * Figures: `npm run bench -- --only=discord-cache` (bench/discord-cache.ts), README "Performance".
 */
import { Options, type ClientOptions, type GuildMember, type User } from 'discord.js';

export interface CacheTuning {
  /**
   * Divide every sweep interval and lifetime by this: the cache bench runs a simulated hour in a minute
   * with 60.
   * Default 1 (real time).
   */
  timeScale?: number;
}

/** Members kept per guild besides the bot's own: enough for the event being handled right now. */
const MEMBERS_PER_GUILD = 10;
/** Users kept across the shard besides the bot itself (each also held by the members that refer to it). */
const USERS = 1_000;
/** How often members and users are swept back to the bot's own, in seconds. */
const PEOPLE_SWEEP_SECONDS = 30 * 60;
/** Archived threads: checked hourly, dropped 4 hours after archiving (discord.js's default). */
const THREAD_SWEEP_SECONDS = 60 * 60;
const THREAD_LIFETIME_SECONDS = 4 * 60 * 60;

const isMe = (who: GuildMember | User): boolean => who.id === who.client.user?.id;

/**
 * `makeCache` and `sweepers` for the bot's Client: spread into its options.
 * The bot's own member is always kept (`guild.members.me`: permission checks), and so is its user.
 */
export function clientCacheOptions(tuning: CacheTuning = {}): Pick<ClientOptions, 'makeCache' | 'sweepers'> {
  const scale = tuning.timeScale ?? 1;
  const every = (seconds: number) => Math.max(1, Math.round(seconds / scale));
  return {
    makeCache: Options.cacheWithLimits({
      ...Options.DefaultMakeCacheSettings,
      // Mention questions answer the MESSAGE_CREATE payload; reactions fetch their (partial) message.
      MessageManager: 0,
      ReactionManager: 0,
      ReactionUserManager: 0,
      // A member lives on the message or interaction it came with; `message.member` reads the cache
      // right after the event added it, so a few per guild are enough.
      GuildMemberManager: { maxSize: MEMBERS_PER_GUILD, keepOverLimit: isMe },
      UserManager: { maxSize: USERS, keepOverLimit: isMe },
      ThreadMemberManager: 0,
      PresenceManager: 0,
      VoiceStateManager: 0,
      GuildEmojiManager: 0,
      BaseGuildEmojiManager: 0,
      GuildStickerManager: 0,
      GuildScheduledEventManager: 0,
      StageInstanceManager: 0,
      GuildInviteManager: 0,
      GuildBanManager: 0,
      AutoModerationRuleManager: 0,
      ApplicationCommandManager: 0,
      EntitlementManager: 0,
    }),
    sweepers: {
      ...Options.DefaultSweeperSettings,
      threads: { interval: every(THREAD_SWEEP_SECONDS), lifetime: every(THREAD_LIFETIME_SECONDS) },
      guildMembers: { interval: every(PEOPLE_SWEEP_SECONDS), filter: () => (m) => !isMe(m) },
      users: { interval: every(PEOPLE_SWEEP_SECONDS), filter: () => (u) => !isMe(u) },
    },
  };
}
