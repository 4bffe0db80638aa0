// The labelled conversations (data/eval/conversations/*.jsonl): one conversation per line,
// validated on load so a typo in the data fails loudly instead of measuring nothing.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';

/** Where the conversation files, the policy facts and the floor live. */
export const SUITE_DIR = resolve(import.meta.dirname, '../../data/eval/conversations');

/** The kinds the suite reports on (issue 15's list, plus what trying the service found). */
export const KINDS = [
  'titles-in-language',
  'find-series',
  'follow-ups',
  'recommendations',
  'comparisons',
  'policies',
  'orders',
  'promotions',
  'safety',
  'import-specific',
  'price-stock',
  'preorders-releases',
  'chitchat',
  'out-of-scope',
  'escalation',
] as const;

const seriesId = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/);
/** Series facts a reply can be asked to give (`started`: the year it began; `demographic`: Shounen, 少女 …). */
const facts = z.array(z.enum(['author', 'volumes', 'status', 'demographic', 'started'])).min(1);

/** One expectation of a turn; the vocabulary is documented in data/eval/conversations/README.md. */
export const expectationSchema = z.discriminatedUnion('check', [
  z.strictObject({
    check: z.literal('about'),
    series: seriesId,
    card: z.enum(['first', 'top3', 'any', 'only']).default('first'),
    named: z.boolean().default(true),
    cardTitle: z.boolean().default(false),
  }),
  z.strictObject({ check: z.literal('author'), author: z.string().min(2) }),
  z.strictObject({ check: z.literal('previousCard'), index: z.number().int().positive(), volume: z.number().int().positive().optional() }),
  z.strictObject({ check: z.literal('mentions'), series: seriesId }),
  z.strictObject({ check: z.literal('notSeries'), series: seriesId }),
  z.strictObject({ check: z.literal('facts'), series: seriesId, of: facts }),
  z.strictObject({ check: z.literal('volume'), series: seriesId, volume: z.number().int().positive(), format: z.enum(['tankobon', 'digital', 'kanzenban', 'box_set']).optional() }),
  /** The sum of these volumes' live prices ("how much for 1-5", "the whole series"). */
  z.strictObject({ check: z.literal('volumesTotal'), series: seriesId, volumes: z.array(z.number().int().positive()).min(2), format: z.enum(['tankobon', 'digital', 'kanzenban', 'box_set']).optional() }),
  /** Every released print volume of the series that is out of stock, by number. */
  z.strictObject({ check: z.literal('soldOut'), series: seriesId }),
  z.strictObject({ check: z.literal('release'), series: seriesId, volume: z.number().int().positive() }),
  z.strictObject({ check: z.literal('nextVolume'), series: seriesId }),
  z.strictObject({ check: z.literal('compare'), series: z.array(seriesId).min(2), of: facts.optional() }),
  z.strictObject({
    check: z.literal('recommend'),
    min: z.number().int().positive().default(1),
    maxVolumes: z.number().int().positive().optional(),
    /** At least this many volumes ("a long series to binge"). */
    minVolumes: z.number().int().positive().optional(),
    shorterThan: seriesId.optional(),
    status: z.enum(['finished', 'publishing']).optional(),
    tags: z.array(z.string()).optional(),
    /** Genres/themes none of the carded series may have ("nothing gory", "not horror"). */
    withoutTags: z.array(z.string()).optional(),
    demographic: z.array(z.string()).optional(),
    /** Demographics none of the carded series may be ("not shoujo"). */
    notDemographic: z.array(z.string()).optional(),
    /** Every carded series began in this year or later / this year or earlier ("from the 2010s", "something more recent"); an unknown start fails. */
    startedFrom: z.number().int().optional(),
    startedTo: z.number().int().optional(),
    kidSafe: z.boolean().optional(),
    similarTo: seriesId.optional(),
    exclude: z.array(seriesId).optional(),
    named: z.boolean().default(true),
  }),
  z.strictObject({ check: z.literal('policy'), fact: z.string() }),
  z.strictObject({
    check: z.literal('order'),
    order: z.string().regex(/^MA-\d{8}-\d{4}$/),
    date: z.boolean().default(false),
    tracking: z.boolean().default(false),
    /** The order's total (`totalJpy`) in yen. */
    total: z.boolean().default(false),
    /** Every series in the order, named in the customer's language. */
    items: z.boolean().default(false),
    /** The carrier's name (Yamato / ヤマト, Japan Post / 日本郵便, Sagawa / 佐川). */
    carrier: z.boolean().default(false),
  }),
  /** Each of these orders of the customer's is named by number ("which orders haven't arrived?"). */
  z.strictObject({ check: z.literal('orders'), orders: z.array(z.string().regex(/^MA-\d{8}-\d{4}$/)).min(1) }),
  z.strictObject({ check: z.literal('signIn') }),
  z.strictObject({ check: z.literal('promotions') }),
  z.strictObject({ check: z.literal('promotionsFor'), series: seriesId }),
  z.strictObject({
    check: z.literal('promotion'),
    id: z.string().min(1),
    /** Its coupon code too. */
    code: z.boolean().default(false),
    /** Its end date too ("until when?"). */
    until: z.boolean().default(false),
  }),
  /** A promotion that is not running, named to say so: ended (or its end date), or when it starts. */
  z.strictObject({ check: z.literal('promotionNotRunning'), id: z.string().min(1) }),
  z.strictObject({ check: z.literal('refused') }),
  z.strictObject({ check: z.literal('calm') }),
  z.strictObject({ check: z.literal('cardWarning') }),
  z.strictObject({ check: z.literal('notFound') }),
  z.strictObject({ check: z.literal('noCards') }),
  z.strictObject({ check: z.literal('handoff'), open: z.boolean() }),
  z.strictObject({ check: z.literal('smalltalk') }),
  z.strictObject({ check: z.literal('outOfScope') }),
  z.strictObject({ check: z.literal('intent'), is: z.array(z.string()).optional(), not: z.array(z.string()).optional() }),
]);

export type Expectation = z.infer<typeof expectationSchema>;

const turnSchema = z.strictObject({
  say: z.string().min(1),
  /** The language of this message when it differs from the conversation's. */
  language: z.enum(['en', 'ja']).optional(),
  expect: z.array(expectationSchema),
});

export const conversationSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
  kind: z.enum(KINDS),
  catalog: z.enum(['shipped', 'imported']),
  language: z.enum(['en', 'ja']),
  /** `guest`, or a demo customer id from data/store/customers.json (signed in with a JWT). */
  customer: z.string(),
  /** Why this conversation is here, what a customer expects (for the reader, not checked). */
  note: z.string().optional(),
  turns: z.array(turnSchema).min(1),
});

export type Conversation = z.infer<typeof conversationSchema>;
export type Turn = z.infer<typeof turnSchema>;

/**
 * Which conversations: `main` (the suite the product was fixed against, held to floor.json),
 * `holdout` (holdout-*.jsonl, written afterwards without looking at main; held to
 * holdout-floor.json), `blind2` (blind2-*.jsonl, written without looking at either; held to
 * blind2-floor.json), `blind3` (blind3-*.jsonl, written without looking at any of them; held to
 * blind3-floor.json), `blind4` (blind4-*.jsonl, the fourth, written the same way; held to
 * blind4-floor.json), `blind5` (blind5-*.jsonl, the fifth, written the same way; held to
 * blind5-floor.json), `blind6` (blind6-*.jsonl, the sixth, written the same way; held to
 * blind6-floor.json), `blind7` (blind7-*.jsonl, the seventh, written the same way; held to
 * blind7-floor.json), `blind8` (blind8-*.jsonl, the eighth, written the same way; held to
 * blind8-floor.json), `blind9` (blind9-*.jsonl, the ninth, written the same way; held to
 * blind9-floor.json), or `all`.
 */
export type SuiteSet = 'main' | 'holdout' | 'blind2' | 'blind3' | 'blind4' | 'blind5' | 'blind6' | 'blind7' | 'blind8' | 'blind9' | 'all';

/** File names of the held-out set start with this. */
export const HOLDOUT_PREFIX = 'holdout-';

/** File names of the second held-out set (written blind after the first was used to tune) start with this. */
export const BLIND2_PREFIX = 'blind2-';

/** File names of the third held-out set (written blind after the second was used to tune) start with this. */
export const BLIND3_PREFIX = 'blind3-';

/** File names of the fourth held-out set (written blind after the third was used to tune) start with this. */
export const BLIND4_PREFIX = 'blind4-';

/** File names of the fifth held-out set (written blind after the fourth was used to tune) start with this. */
export const BLIND5_PREFIX = 'blind5-';

/** File names of the sixth held-out set (written blind after the fifth was used to tune) start with this. */
export const BLIND6_PREFIX = 'blind6-';

/** File names of the seventh held-out set (written blind after the sixth was used to tune) start with this. */
export const BLIND7_PREFIX = 'blind7-';

/** File names of the eighth held-out set (written blind after the seventh was used to tune) start with this. */
export const BLIND8_PREFIX = 'blind8-';

/** File names of the ninth held-out set (written blind after the eighth was used to tune) start with this. */
export const BLIND9_PREFIX = 'blind9-';

/** True when a conversation file belongs to the set. */
export function inSet(file: string, set: SuiteSet): boolean {
  if (set === 'all') return true;
  if (set === 'holdout') return file.startsWith(HOLDOUT_PREFIX);
  if (set === 'blind2') return file.startsWith(BLIND2_PREFIX);
  if (set === 'blind3') return file.startsWith(BLIND3_PREFIX);
  if (set === 'blind4') return file.startsWith(BLIND4_PREFIX);
  if (set === 'blind5') return file.startsWith(BLIND5_PREFIX);
  if (set === 'blind6') return file.startsWith(BLIND6_PREFIX);
  if (set === 'blind7') return file.startsWith(BLIND7_PREFIX);
  if (set === 'blind8') return file.startsWith(BLIND8_PREFIX);
  if (set === 'blind9') return file.startsWith(BLIND9_PREFIX);
  return !file.startsWith(HOLDOUT_PREFIX) && !file.startsWith(BLIND2_PREFIX) && !file.startsWith(BLIND3_PREFIX) && !file.startsWith(BLIND4_PREFIX) && !file.startsWith(BLIND5_PREFIX) && !file.startsWith(BLIND6_PREFIX) && !file.startsWith(BLIND7_PREFIX) && !file.startsWith(BLIND8_PREFIX) && !file.startsWith(BLIND9_PREFIX);
}

/** Reads the set's *.jsonl files of the suite directory (the main suite by default); ids must be unique. */
export function loadConversations(dir = SUITE_DIR, set: SuiteSet = 'main'): Conversation[] {
  const out: Conversation[] = [];
  const seen = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.jsonl') && inSet(f, set)).sort()) {
    readFileSync(join(dir, file), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (line.trim() === '') return;
        const where = `${file}:${i + 1}`;
        let raw: unknown;
        try {
          raw = JSON.parse(line);
        } catch (error) {
          throw new Error(`${where}: not JSON (${(error as Error).message})`);
        }
        const parsed = conversationSchema.safeParse(raw);
        if (!parsed.success) throw new Error(`${where}: ${parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
        if (seen.has(parsed.data.id)) throw new Error(`${where}: duplicate conversation id ${parsed.data.id}`);
        seen.add(parsed.data.id);
        out.push(parsed.data);
      });
  }
  return out;
}
