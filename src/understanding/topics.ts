// Topics a customer rules out that the catalog has no tag for: "sports, but no basketball or
// volleyball" asks for the Sports tag and rules out series about those two sports, which only
// their titles and synopses say. Each topic word matches its English and Japanese forms.
// Hand-written: a few dozen store words, where a translation service would be a network call.

const TOPIC_FORMS: Record<string, string> = {
  basketball: 'basketball|バスケ',
  バスケ: 'basketball|バスケ',
  バスケットボール: 'basketball|バスケ',
  volleyball: 'volleyball|バレー(?:ボール|部)?',
  バレー: 'volleyball|バレー(?:ボール|部)?',
  バレーボール: 'volleyball|バレー(?:ボール|部)?',
  soccer: 'soccer|football|サッカー|蹴球',
  football: 'soccer|football|サッカー',
  サッカー: 'soccer|football|サッカー',
  baseball: 'baseball|野球|甲子園',
  野球: 'baseball|野球|甲子園',
  boxing: 'boxing|boxer|ボクシング|ボクサー',
  ボクシング: 'boxing|boxer|ボクシング|ボクサー',
  tennis: 'tennis|テニス',
  テニス: 'tennis|テニス',
  golf: 'golf|ゴルフ',
  swimming: 'swimming|swimmer|水泳|競泳',
  cycling: 'cycling|bicycle|bike rac|自転車|ロードレース',
  racing: 'racing|racer|レース',
  karuta: 'karuta|かるた',
  'martial arts': 'martial arts|武道|格闘',
  cooking: 'cook|chef|料理',
  food: 'food|cook|chef|料理|グルメ',
  band: '\\bband\\b|バンド',
};

/** True when a word names a topic narrower than its tag ("basketball" under Sports): ruled out, it rules out the topic only. */
export function isTopicWord(word: string): boolean {
  return (TOPIC_FORMS[word.toLowerCase()] ?? TOPIC_FORMS[word]) !== undefined;
}

/** A matcher for the topics ruled out, over a series' titles and synopses; undefined when none is known. */
export function topicMatcher(words: readonly string[]): RegExp | undefined {
  const forms = words.map((w) => TOPIC_FORMS[w.toLowerCase()] ?? TOPIC_FORMS[w]).filter((f): f is string => f !== undefined);
  return forms.length > 0 ? new RegExp(forms.join('|'), 'i') : undefined;
}

/** True when a series is about one of the topics (its titles or synopses name it). */
export function aboutTopic(series: { title: string; titleEn?: string; titleJa?: string; synopsis?: string; synopsisJa?: string }, matcher: RegExp): boolean {
  return [series.title, series.titleEn, series.titleJa, series.synopsis, series.synopsisJa].some((t) => t !== undefined && matcher.test(t));
}
