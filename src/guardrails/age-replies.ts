/**
 * The store's answers around its 18+ rule, in the customer's language, from data/kb
 * age-restricted (and account, contact-support): a title withheld from a customer who may not
 * see it (what it is, that it is sold only to signed-in customers who confirmed their age, how to
 * confirm; not shipped abroad), the follow-ups to that ("why not?", "I'm 25, trust me"), a
 * minor on a parent's account, and whether a title suits a reader (from its catalog data: the
 * audience rule, demographic, genres and themes). Fixed text, no model: the guardrails decide.
 */
import type { Language } from '../understanding/types.ts';
import type { AgeAspect, AgeClaim, ContentAspect, SuitabilityQuestion } from './age-dialogue.ts';

/** Who is asking (a guest, or a signed-in customer and whether their age is confirmed). */
export interface Asker {
  kind: 'guest' | 'member' | 'prime';
  ageConfirmed?: boolean;
}

/** Why the withheld-title answer is given, beyond the title being named. */
export type WithheldTurn = 'named' | 'why' | 'claim' | 'insist';

/** What the withheld-title answer says. */
export interface WithheldAnswer {
  language: Language;
  asker: Asker;
  /** The titles withheld, as the customer reads them (empty: an adult request with no title). */
  titles: string[];
  turn: WithheldTurn;
  /** An age the customer stated in chat. */
  claim?: AgeClaim;
  /** The reader a suitability question was about ("is it ok for my 15 year old?"). */
  reader?: SuitabilityQuestion;
  /** The 18+ rules asked about beside the title (abroad, e-book, phone bill…). */
  aspects?: AgeAspect[];
  /** The customer says their age is confirmed already (their account says otherwise). */
  saysConfirmed?: boolean;
  /** All-ages titles suggested instead, as the customer reads them. */
  alternatives?: string[];
}

const list = (language: Language, xs: string[]): string =>
  language === 'ja' ? xs.map((x) => `『${x}』`).join('、') : xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs.at(-1)}`;

/** "a 12-year-old", "your son", 「中学生の方」: the reader as the answer names them. */
export function readerPhrase(language: Language, reader: SuitabilityQuestion | undefined): string {
  if (reader?.audience === 'adult' && reader.age === undefined) return language === 'ja' ? '大人の方' : 'adult readers';
  if (language === 'ja') {
    if (reader?.age !== undefined) return `${reader.age}歳のお子さま`;
    const r = reader?.reader ?? '';
    if (/中学|高校|中高生/.test(r)) return `${r.replace(/生?$/, '生')}の方`;
    if (/小学|低学年|高学年/.test(r)) return '小学生のお子さま';
    if (/息子/.test(r)) return '息子さん';
    if (/娘/.test(r)) return '娘さん';
    return reader?.audience === 'teen' ? '10代の方' : 'お子さま';
  }
  if (reader?.age !== undefined) return `a ${reader.age}-year-old`;
  const r = (reader?.reader ?? '').toLowerCase().replace(/^(?:my|our|a|an|the|his|her)\s+/, '');
  if (/^(?:son|daughter|kid|child|boy|girl|nephew|niece|grandson|granddaughter|little \w+|young \w+)$/.test(r)) return `your ${r}`;
  return reader?.audience === 'teen' ? 'teenagers' : 'children';
}

const EN = {
  is: (titles: string[]) =>
    titles.length === 0
      ? 'Age-restricted (18+) titles are sold only to signed-in customers who have confirmed they are 18 or older, so I can\'t show or describe them here.'
      : `${list('en', titles)} ${titles.length > 1 ? 'are age-restricted (18+) titles' : 'is an age-restricted (18+) title'}: we sell ${titles.length > 1 ? 'them' : 'it'} only to signed-in customers who have confirmed they are 18 or older, so I can't show or describe ${titles.length > 1 ? 'them' : 'it'} here.`,
  why: (titles: string[]) =>
    `Because ${titles.length > 0 ? `${list('en', titles)} ${titles.length > 1 ? 'are' : 'is'} sold 18+` : 'those titles are sold 18+'}: following Japanese industry guidelines, titles with strong sexual content or extremely graphic violence are sold only to customers aged 18 or over, and the age is confirmed when you sign in, not in this chat.`,
  claimAdult: "Thanks — but I can't take an age typed in the chat as confirmation: age is confirmed only when you sign in, against the date of birth registered on your account.",
  claimMinor: "As you're under 18, it isn't something we can sell you: 18+ titles are only for customers aged 18 or over.",
  readerMinor: (who: string) => `So it isn't suitable for ${who}: 18+ titles are only for readers aged 18 or over.`,
  howGuest: (n: number) => `To see ${n === 1 ? 'it' : 'them'}: sign in to a member account (or create one at /account/register), register your date of birth at /account, and confirm that you are 18 or older when you sign in.`,
  howUnconfirmed: () => "Your account hasn't confirmed your age yet: register your date of birth at /account, then confirm that you are 18 or older the next time you sign in.",
  once: (titles: string[]) => `Once your age is confirmed, you'll see ${titles.length > 0 ? list('en', titles) : 'these titles'} with prices and can add ${titles.length > 1 || titles.length === 0 ? 'them' : 'it'} to your cart.`,
  aspect: {
    abroad: "18+ titles are not shipped outside Japan, so we can't send them to an address abroad, even after age confirmation.",
    digital: "We don't sell 18+ titles as digital editions: they are sold in print only.",
    carrier: "Carrier billing (paying by phone bill) can't be used for 18+ titles, as a phone contract may belong to a minor; every other payment method can.",
    konbini: "18+ titles can't be delivered to a convenience-store pickup point.",
    wrapping: 'Gift wrapping for 18+ titles is plain kraft paper only.',
    packaging: '18+ titles are shipped in plain packaging, and the delivery slip shows the product id instead of the title.',
  } satisfies Record<AgeAspect, string>,
  recheck: 'Age confirmation is checked again at each sign-in: if you confirmed it recently, sign out and sign in again.',
  note: (titles: string[]) => `Please note: ${list('en', titles)} ${titles.length > 1 ? 'are 18+ titles' : 'is an 18+ title'}.`,
  alternatives: (xs: string[]) => `If you'd like something all-ages in a similar genre: ${list('en', xs)}.`,
  offer: "I'm happy to suggest all-ages titles in a similar genre, or help with anything else.",
};

const JA = {
  is: (titles: string[]) =>
    titles.length === 0
      ? '年齢制限（18+）のある作品は、ログインして年齢確認を済ませた18歳以上のお客さまにのみ販売しているため、こちらではご案内できません。'
      : `${list('ja', titles)}は年齢制限（18+）のある作品で、ログインして年齢確認を済ませた18歳以上のお客さまにのみ販売しております。そのため、こちらではご案内できません。`,
  why: (titles: string[]) =>
    `${titles.length > 0 ? `${list('ja', titles)}が` : 'これらの作品が'}18+作品だからです。業界の自主規制に従い、強い性的表現や過激な暴力描写を含む作品は18歳以上のお客さまにのみ販売しており、年齢はこのチャットではなくログイン時に確認しています。`,
  claimAdult: 'ありがとうございます。ただ、チャットでお知らせいただいた年齢では確認できません。年齢確認は、アカウントに登録された生年月日をもとにログイン時にのみ行っております。',
  claimMinor: '18歳未満の方にはお売りできない作品です。18+作品は18歳以上のお客さまにのみ販売しております。',
  readerMinor: (who: string) => `そのため、${who}には向いておりません。18+作品は18歳以上の方にのみ販売しております。`,
  howGuest: () => 'ご覧になるには、会員アカウントでログイン（/account/register で新規登録もできます）のうえ /account で生年月日をご登録いただき、ログイン時に18歳以上であることの年齢確認をお済ませください。',
  howUnconfirmed: () => 'お客さまのアカウントはまだ年齢確認がお済みではありません。/account で生年月日をご登録のうえ、次回ログイン時に18歳以上であることの年齢確認をお済ませください。',
  once: (titles: string[]) => `年齢確認が済むと、${titles.length > 0 ? list('ja', titles) : 'これらの作品'}の価格をご覧いただけるようになり、カートにも追加できます。`,
  aspect: {
    abroad: 'なお、18+作品は海外へ発送できません（国内配送のみ）。年齢確認後も海外の住所へはお送りできませんのでご了承ください。',
    digital: '18+作品は電子書籍では販売しておりません（紙の本のみのお取り扱いです）。',
    carrier: '18+作品にはキャリア決済をご利用いただけません（携帯電話の契約者が未成年の場合があるため）。その他のお支払い方法はご利用いただけます。',
    konbini: '18+作品はコンビニ受け取りをご利用いただけません。',
    wrapping: '18+作品のギフトラッピングはクラフト紙のみとなります。',
    packaging: '18+作品は中身がわからない無地の梱包でお送りし、納品書にはタイトルではなく商品IDを記載します。',
  } satisfies Record<AgeAspect, string>,
  recheck: '年齢確認はログインのたびに確認しております。最近お済ませになった場合は、一度ログアウトしてからログインし直してください。',
  note: (titles: string[]) => `${list('ja', titles)}は18+作品です。`,
  alternatives: (xs: string[]) => `近いジャンルで全年齢向けの作品でしたら、${list('ja', xs)}などはいかがでしょうか。`,
  offer: '近いジャンルの全年齢向け作品のご紹介や、その他のご質問でしたら喜んでお手伝いいたします。',
};

/** The answer when the customer named (or asks again about) a title they may not see: never "not found". */
export function withheldReply(a: WithheldAnswer): string {
  const t = a.language === 'ja' ? JA : EN;
  const parts: string[] = [];
  const minor = a.claim?.adult === false;
  const forMinor = a.reader !== undefined && a.reader.audience !== 'adult';
  parts.push(a.turn === 'why' || a.turn === 'insist' ? t.why(a.titles) : t.is(a.titles));
  if (minor) parts.push(t.claimMinor);
  else if (forMinor) parts.push(t.readerMinor(readerPhrase(a.language, a.reader)));
  else {
    if (a.claim?.adult || a.turn === 'claim') parts.push(t.claimAdult);
    parts.push(a.asker.kind === 'guest' ? t.howGuest(a.titles.length) : t.howUnconfirmed());
    if (a.saysConfirmed && a.asker.kind !== 'guest') parts.push(t.recheck);
    if (a.turn !== 'named') parts.push(t.once(a.titles));
  }
  for (const x of a.aspects ?? []) parts.push(t.aspect[x]);
  parts.push(a.alternatives && a.alternatives.length > 0 ? t.alternatives(a.alternatives) : t.offer);
  return parts.join(a.language === 'ja' ? '' : ' ');
}

/** Put before another answer (a policy question asked with an 18+ title): the title is withheld, the rest is answered. */
export function withheldNotice(language: Language, asker: Asker, titles: string[], aspects: AgeAspect[], claim?: AgeClaim): string {
  const t = language === 'ja' ? JA : EN;
  const how = claim?.adult === false ? t.claimMinor : asker.kind === 'guest' ? t.howGuest(titles.length) : t.howUnconfirmed();
  return [t.is(titles), how, ...aspects.map((x) => t.aspect[x])].join(language === 'ja' ? '' : ' ') + '\n\n';
}

/**
 * Put before the answer to a customer who may see an 18+ title and asks what the store does
 * differently for such titles (ship it abroad, as an e-book, by phone bill…): those rules. Empty
 * when none is asked.
 */
export function aspectNotice(language: Language, titles: string[], aspects: AgeAspect[]): string {
  if (aspects.length === 0) return '';
  const t = language === 'ja' ? JA : EN;
  return [t.note(titles), ...aspects.map((x) => t.aspect[x])].join(language === 'ja' ? '' : ' ') + '\n\n';
}

/** A title's catalog data as the suitability answer reads it. */
export interface SuitabilityFacts {
  title: string;
  demographic?: string;
  genres: string[];
  themes: string[];
  /** Adult by the store's audience rule (18+). */
  adult: boolean;
  /** Suits a child of about ten / a teenager, by the rule recommendations use. */
  childSafe: boolean;
  teenSafe: boolean;
  /** Its genres and themes as the customer reads them (Japanese labels in a Japanese reply), for a content question. */
  tagsShown?: string[];
}

/**
 * What answers a content question ("is it gory?", 「泣ける？」), by the catalog's genres and
 * themes: the tags that say yes, the ones that say "somewhat" (action without gore is violent
 * only in fights), and how the answer names the aspect.
 */
const CONTENT: Record<ContentAspect, { yes: string[]; partly?: string[]; en: string; ja: string; partlyEn?: string; partlyJa?: string }> = {
  gore: { yes: ['gore'], en: 'graphic violence (gore)', ja: '残酷・グロテスクな描写' },
  violence: { yes: ['gore'], partly: ['action', 'martial arts', 'military', 'survival'], en: 'graphic violence (gore)', ja: '残酷・グロテスクな暴力描写', partlyEn: 'fights and action', partlyJa: 'アクション・バトルの場面' },
  horror: { yes: ['horror'], partly: ['suspense'], en: 'horror', ja: 'ホラー要素', partlyEn: 'suspense', partlyJa: 'サスペンス要素' },
  sexual: { yes: ['ecchi', 'erotica', 'hentai'], en: 'sexual content or fan service', ja: '性的な描写・お色気要素' },
  sad: { yes: ['drama', 'tragedy'], en: 'drama (a moving, often sad story)', ja: '泣ける・感動系のドラマ要素' },
  dark: { yes: ['psychological', 'gore', 'horror', 'tragedy'], partly: ['drama', 'suspense'], en: 'dark themes (psychological, gore or horror)', ja: '重い・暗いテーマ（心理描写・グロ・ホラー）', partlyEn: 'serious drama or suspense', partlyJa: 'シリアスなドラマ・サスペンス要素' },
  funny: { yes: ['comedy', 'gag humor', 'parody'], en: 'comedy', ja: 'コメディ（笑い）の要素' },
};

/** The direct answer to a content question, one sentence per aspect asked: yes, partly or no, by the catalog's tags. */
function contentLead(language: Language, f: SuitabilityFacts, asked: ContentAspect[], tags: string[]): string[] {
  return asked.map((aspect) => {
    const c = CONTENT[aspect];
    const yes = aspect === 'sexual' && f.adult ? true : c.yes.some((t) => tags.includes(t));
    const partly = !yes && (c.partly ?? []).some((t) => tags.includes(t));
    if (language === 'ja') {
      if (yes) return `はい、『${f.title}』には${c.ja}があります。`;
      if (partly) return `『${f.title}』には${c.partlyJa}はありますが、ジャンル・テーマに${c.ja}は含まれていません。`;
      return `いいえ、『${f.title}』のジャンル・テーマに${c.ja}は含まれていません。`;
    }
    if (yes) return `Yes: ${f.title} has ${c.en}.`;
    if (partly) return `${f.title} has ${c.partlyEn}, but its genres and themes list no ${c.en}.`;
    return `No: ${f.title}'s genres and themes list no ${c.en}.`;
  });
}

const DEMOGRAPHIC: Record<string, { en: string; ja: string }> = {
  shounen: { en: 'a Shounen series (written for teenage boys)', ja: '少年向け' },
  shoujo: { en: 'a Shoujo series (written for teenage girls)', ja: '少女向け' },
  seinen: { en: 'a Seinen series (written for adult men)', ja: '青年向け' },
  josei: { en: 'a Josei series (written for adult women)', ja: '女性向け' },
  kodomomuke: { en: 'a children\'s series (Kodomomuke)', ja: '児童向け' },
  kids: { en: 'a children\'s series', ja: '児童向け' },
};
/** Genres and themes a parent asks about, in both languages (the catalog's own tags). */
const CAUTION: Record<string, { en: string; ja: string }> = {
  horror: { en: 'horror', ja: 'ホラー要素' },
  gore: { en: 'graphic violence (gore)', ja: '残酷・グロテスクな描写' },
  psychological: { en: 'dark psychological themes', ja: '重い心理描写' },
  ecchi: { en: 'fan service (ecchi)', ja: 'お色気描写' },
};

/** Whether a title suits the reader asked about, from its catalog data, and what to read instead. */
export function suitabilityReply(language: Language, f: SuitabilityFacts, q: SuitabilityQuestion, alternatives: string[]): string {
  const tags = [...f.genres, ...f.themes].map((x) => x.toLowerCase());
  const cautions = Object.keys(CAUTION).filter((k) => tags.includes(k));
  const demo = DEMOGRAPHIC[(f.demographic ?? '').toLowerCase()];
  const grownUp = /^(?:seinen|josei)$/i.test(f.demographic ?? '');
  const who = readerPhrase(language, q);
  const fits = q.audience === 'child' ? f.childSafe : q.audience === 'teen' ? f.teenSafe && !grownUp && cautions.length === 0 : undefined;
  // A teenager and violence or a grown-up demographic: sold to everyone, depends on the reader.
  const depends = q.audience === 'teen' && f.teenSafe && !fits;
  const minor = q.audience === 'child' || q.audience === 'teen';
  // A content question ("is it gory?") is answered yes or no first, then what the title is.
  const lead = q.content && q.content.length > 0 ? contentLead(language, f, q.content, tags) : [];
  const shown = lead.length > 0 && f.tagsShown && f.tagsShown.length > 0 ? f.tagsShown : undefined;
  // Asked who it is written for: adults ("is it for adults?", 「大人向け？」) by its demographic.
  const forAdults = q.audience === 'adult' && q.age === undefined ? grownUp : undefined;
  if (f.adult) {
    // Sold 18+ (flagged, adult genre, fan service for older readers, or a spin-off of such a title).
    if (language === 'ja') {
      return [
        ...lead,
        `『${f.title}』は年齢制限（18+）のある作品で、18歳以上のお客さまにのみ販売しております。`,
        minor ? `そのため、${who}には向いておりません。` : '',
        minor && alternatives.length > 0 ? `${who}には、${list('ja', alternatives)}などがおすすめです。` : '',
      ].join('');
    }
    return [
      ...lead,
      `${f.title} is an age-restricted (18+) title, sold only to customers aged 18 or over${minor ? `, so it isn't suitable for ${who}` : ''}.`,
      minor && alternatives.length > 0 ? `Better suited for ${who}: ${list('en', alternatives)}.` : '',
    ]
      .filter(Boolean)
      .join(' ');
  }
  if (language === 'ja') {
    const parts: string[] = [...lead];
    const what = demo ? `${demo.ja}の作品` : '作品';
    if (forAdults !== undefined) parts.push(forAdults ? `はい、『${f.title}』は大人の読者に向けて描かれた作品です。` : `『${f.title}』は大人だけに向けて描かれた作品ではありませんが、大人の方にも読まれています。`);
    parts.push(`${lead.length > 0 || forAdults !== undefined ? '本作' : `『${f.title}』`}は年齢制限のない${what}で、どなたでもご購入いただけます。`);
    if (shown) parts.push(`ジャンル・テーマは${shown.join('・')}です。`);
    const untold = cautions.filter((c) => !(q.content ?? []).some((a) => CONTENT[a].yes.includes(c)));
    if (lead.length === 0 || untold.length > 0) parts.push(untold.length > 0 ? `${lead.length > 0 ? 'なお' : 'ただし'}、${untold.map((c) => CAUTION[c].ja).join('や')}があります。` : 'ホラーや残酷な描写、お色気描写の要素は含まれていません。');
    if (fits === true) parts.push(`${who}にも安心してお読みいただけると思います。`);
    else if (depends) parts.push(`${who}でも読めますが、${grownUp ? '大人の読者向けに描かれた作品で、' : ''}こうした描写が苦手な方にはおすすめしにくい作品です。`);
    else if (fits === false) parts.push(`${who}にはあまりおすすめできません。`);
    if (lead.length === 0 || minor) parts.push('当店では18+のマーク以外に年齢の目安は設けておらず、掲載誌の対象読者とジャンルからのご案内です。');
    if (fits !== true && alternatives.length > 0) parts.push(`${who}には、${list('ja', alternatives)}などがおすすめです。`);
    return parts.join('');
  }
  const parts: string[] = [...lead];
  if (forAdults !== undefined) parts.push(forAdults ? `Yes: ${f.title} is written for adult readers.` : `${f.title} isn't written only for adults, though adults read it too.`);
  parts.push(`${lead.length > 0 || forAdults !== undefined ? 'It' : f.title} isn't age-restricted, so anyone can buy it; it's ${demo ? demo.en : 'a series without a listed demographic'}.`);
  if (shown) parts.push(`Its genres and themes: ${shown.join(', ')}.`);
  const untold = cautions.filter((c) => !(q.content ?? []).some((a) => CONTENT[a].yes.includes(c)));
  if (lead.length === 0 || untold.length > 0) parts.push(untold.length > 0 ? `It ${lead.length > 0 ? 'does have' : 'has'} ${list('en', untold.map((c) => CAUTION[c].en))}.` : 'Its catalog tags list no horror, gore or fan service.');
  if (fits === true) parts.push(`It should be fine for ${who}.`);
  else if (depends) parts.push(`Teenagers can read it, but ${grownUp ? "it's written for adult readers and " : ''}whether it suits ${who} depends on how they handle that kind of content.`);
  else if (fits === false) parts.push(`So I wouldn't suggest it for ${who}.`);
  if (lead.length === 0 || minor) parts.push("The store has no age ratings besides the 18+ label, so this comes from the series' demographic and genre tags.");
  if (fits !== true && alternatives.length > 0) parts.push(`Better suited for ${who}: ${list('en', alternatives)}.`);
  return parts.join(' ');
}

