import type { IntentName, Profile } from './profile.ts';
import type { Rng } from './random.ts';

/** A signed-in customer of a session (guests have none). */
export type Account = Profile['customers']['accounts'][number];

/** One message a session will send. */
export interface PlannedMessage {
  /** The intent the profile meant (the server's own classification is recorded separately). */
  intent: IntentName;
  text: string;
  /** Think time before this message, ms (already scaled). */
  thinkMs: number;
}

/** Everything one virtual customer will do, decided up front so a seed reproduces a run. */
export interface SessionPlan {
  language: 'ja' | 'en';
  account?: Account;
  seriesId: string;
  messages: PlannedMessage[];
  /** Part of a viral burst (its messages count as peak traffic). */
  burst: boolean;
}

/** A viral burst as configured in the profile. */
export type Burst = Profile['bursts'][number];

/**
 * Plans one session: language, signed-in or guest, the series the customer is interested in
 * (weighted 1/rank, popular titles come up most, like real traffic), and its messages. All
 * messages of a session are about the same series so follow-ups read like a conversation.
 * A burst session asks about the burst's series with the burst's intents only.
 */
export function planSession(profile: Profile, rng: Rng, thinkScale: number, burst?: Burst): SessionPlan {
  const language = rng.float() < profile.japaneseShare ? 'ja' : 'en';
  const tierDraw = rng.float();
  const { memberShare, primeShare, accounts } = profile.customers;
  const tier = tierDraw < primeShare ? 'prime' : tierDraw < primeShare + memberShare ? 'member' : undefined;
  const pool = tier ? accounts.filter((a) => a.tier === tier) : [];
  const account = pool.length ? rng.pick(pool) : undefined;

  const series = burst
    ? profile.series.find((s) => s.id === burst.seriesId)!
    : profile.series[zipfIndex(rng, profile.series.length)];
  const title = language === 'ja' ? series.titleJa : series.title;

  const count = rng.int(profile.sessionMessages.min, profile.sessionMessages.max);
  const messages: PlannedMessage[] = [];
  for (let i = 0; i < count; i++) {
    const intent: IntentName = burst ? rng.pick(burst.intents) : rng.weighted(profile.intentMix);
    const all = profile.messages[intent]![language];
    // Without an order of their own a customer asks about "my order" in general.
    const usable = account?.orders.length ? all : all.filter((t) => !t.includes('{order}'));
    const template = rng.pick(usable.length ? usable : all);
    const text = template
      .replaceAll('{title}', title)
      .replaceAll('{volume}', String(rng.int(1, 20)))
      .replaceAll('{order}', account?.orders.length ? rng.pick(account.orders) : 'MA-20261121-0004');
    messages.push({ intent, text, thinkMs: rng.between(profile.thinkTimeMs.min, profile.thinkTimeMs.max) * thinkScale });
  }
  return { language, account, seriesId: series.id, messages, burst: burst !== undefined };
}

/** An index in [0, n) with probability ∝ 1/(i+1). */
function zipfIndex(rng: Rng, n: number): number {
  let total = 0;
  for (let i = 1; i <= n; i++) total += 1 / i;
  let x = rng.float() * total;
  for (let i = 0; i < n; i++) {
    x -= 1 / (i + 1);
    if (x < 0) return i;
  }
  return n - 1;
}
