/**
 * Why a post did not go out, as the adapter's Poster reports it. `permanent` means posting again
 * cannot succeed until a person acts (the bot was removed, lacks a permission, the channel or thread
 * is archived or gone): the subscription is paused and the person who subscribed is told. `transient`
 * means a later try may succeed (5xx, 429, a network error): retried with backoff.
 */
export class PostFailure extends Error {
  constructor(
    readonly kind: 'permanent' | 'transient',
    /** The platform's error code ("50013", "not_in_channel", "http_503"): for logs and `status`. */
    readonly code: string,
    /** What is wrong and what a person can do about it, in plain words (shown in `status`). */
    readonly reason: string,
    opts: { retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(`${kind} post failure ${code}: ${reason}`, { cause: opts.cause });
    this.name = 'PostFailure';
    this.retryAfterMs = opts.retryAfterMs;
  }
  readonly retryAfterMs: number | undefined;
}

/** Anything else a Poster throws is treated as transient (a bug or an outage, not the channel's state). */
export function asPostFailure(e: unknown): PostFailure {
  if (e instanceof PostFailure) return e;
  return new PostFailure('transient', 'error', 'the post failed for a reason we did not recognise', {
    cause: e,
  });
}

/** The first retry waits 1 minute, each next one twice as long, at most 1 hour. */
export function backoffMs(attempts: number, retryAfterMs = 0): number {
  const base = Math.min(60_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
  return Math.max(base, retryAfterMs);
}

/**
 * What the core asks an adapter before subscribing a channel: can the bot post there? Each adapter
 * answers from the platform (Discord: the interaction's app_permissions; Slack: conversations.info).
 */
export type ChannelAccessVerdict = { ok: true } | { ok: false; message: string };
export type ChannelAccess = () => Promise<ChannelAccessVerdict>;
