// The reading dictionary's thread: loads Lindera (IPADIC, compiled to WebAssembly, no native
// addon) and answers the kana reading of the texts it is sent. It runs on a worker thread
// because loading it takes most of a second of CPU (WebAssembly compile plus the dictionary)
// and ~140 MB: the service's own thread never waits for it (see readings.ts).
import { parentPort } from 'node:worker_threads';
import { createRequire } from 'node:module';

/** What Lindera returns per token (IPADIC fields; `reading` is missing for unknown words). */
interface LinderaToken {
  surface: string;
  reading?: string;
  pronunciation?: string;
  partOfSpeech?: string;
}

/** Particles written one way and said another: romaji titles spell them as said (Kimi no Na wa, Fumetsu no Anata e). */
const SAID_AS = new Set(['は', 'へ', 'を']);

interface LinderaTokenizer {
  tokenize(text: string): LinderaToken[];
}

const KANA = /^[\u3041-\u3096\u30a1-\u30fa\u30fc]+$/;
const ONE_KANJI = /^[\u3400-\u9fff\uf900-\ufaff]$/;

/** A single kanji read on its own as a noun, with a reading. */
function isLoneKanji(t: LinderaToken): boolean {
  return ONE_KANJI.test(t.surface) && t.partOfSpeech === '名詞' && !!t.reading && t.reading !== '*';
}

/**
 * The whole text's reading in katakana, or undefined when a word of it is not in the dictionary.
 * Kanji read one by one inside a run may be read otherwise each on its own (`alone`): 僕街 is
 * ボク + ガイ in the run, ボク + マチ alone — how a clipping of 僕だけがいない街 is said. Then that
 * reading follows as an alternative, after a `|`.
 */
function readingOf(tokens: LinderaToken[], alone: (kanji: string) => string | undefined = () => undefined): string | undefined {
  let out = '';
  let other = '';
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const next = tokens[i + 1];
    // A kanji said twice (炎炎ノ消防隊: エンエン) is read the same both times, as the compound
    // reading the dictionary gives the second (the first alone gets its native word, ホノオ).
    if (next && t.surface.length === 1 && next.surface === t.surface && next.reading && next.reading !== '*') {
      out += next.reading;
      other += next.reading;
      continue;
    }
    if (isLoneKanji(t) && next && isLoneKanji(next) && next.surface !== t.surface) {
      // Kanji the dictionary knows only one by one (血界戦線: 血 チ, 界 カイ, where the title says
      // ケッカイ) are a compound it does not have: their reading is a guess, marked 〔…〕 so the
      // search may take any reading of about that length there (name-index.ts).
      let run = '';
      let own = '';
      let j = i;
      for (; j < tokens.length && isLoneKanji(tokens[j]); j++) {
        run += tokens[j].reading;
        own += alone(tokens[j].surface) ?? tokens[j].reading;
      }
      out += `〔${run}〕`;
      other += `〔${own}〕`;
      i = j - 1;
      continue;
    }
    let reading: string;
    if (t.partOfSpeech === '助詞' && SAID_AS.has(t.surface) && t.pronunciation) reading = t.pronunciation;
    else if (t.reading && t.reading !== '*') reading = t.reading;
    else if (KANA.test(t.surface)) reading = t.surface;
    // An unknown kanji (喰 in 東京喰種) leaves a hole no romaji title can be compared with.
    else return undefined;
    out += reading;
    other += reading;
  }
  if (!out) return undefined;
  return other !== out ? `${out}|${other}` : out;
}

const port = parentPort;
if (port) {
  // The package is CommonJS and compiles its WebAssembly when required.
  const require = createRequire(import.meta.url);
  const { TokenizerBuilder } = require('lindera-wasm-nodejs-ipadic') as { TokenizerBuilder: new () => { setDictionary(uri: string): void; setMode(mode: string): void; build(): LinderaTokenizer } };
  const builder = new TokenizerBuilder();
  builder.setDictionary('embedded://ipadic');
  builder.setMode('normal');
  const tokenizer = builder.build();
  port.on('message', (message: { id: number; text: string }) => {
    let reading: string | undefined;
    try {
      reading = readingOf(tokenizer.tokenize(message.text), (kanji) => {
        const [t] = tokenizer.tokenize(kanji);
        return t && t.surface === kanji && t.reading && t.reading !== '*' ? t.reading : undefined;
      });
    } catch {
      reading = undefined;
    }
    port.postMessage({ id: message.id, reading });
  });
  port.postMessage({ ready: true });
}
