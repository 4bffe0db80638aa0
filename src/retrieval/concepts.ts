// A small bilingual concept lexicon for the store's domain: the things manga stories are about,
// as customers and synopses word them in English and Japanese.
//
// The hashing embedder and BM25 only see shared spellings, so "a pharmacist in a palace" never
// meets "an apothecary sold into the imperial rear palace", and 宮廷で薬師… meets the English
// synopsis only through the Japanese one. Each concept here is one extra search term
// ("§apothecary") added to a text that says it in any of its words, on both the query side and
// the document side: paraphrases and the two languages then share a term. A real embedding
// model (behind the Embedder port) learns this; the lexicon is what the embedded default can do
// without one. Words are matched after the tokenizer's stemming; Japanese forms by substring, so
// they are at least two characters unless one kanji is unambiguous on its own.
import { normalize, scriptRuns, stem } from './tokenize.ts';

/** One concept: its English words or phrases and its Japanese forms. */
interface Concept {
  id: string;
  en: string[];
  ja: string[];
}

const CONCEPTS: Concept[] = [
  // People and roles
  { id: 'apothecary', en: ['pharmacist', 'apothecary', 'druggist', 'herbalist'], ja: ['薬師', '薬剤師', '薬屋'] },
  { id: 'doctor', en: ['doctor', 'surgeon', 'physician', 'surgery', 'medical'], ja: ['医者', '医師', '外科医', '手術', '医療'] },
  { id: 'spy', en: ['spy', 'secret agent', 'espionage', 'undercover'], ja: ['スパイ', '諜報', '工作員'] },
  { id: 'assassin', en: ['assassin', 'hitman', 'hit man', 'contract killer', 'assassinate', 'assassination'], ja: ['殺し屋', '暗殺', '刺客'] },
  { id: 'killer', en: ['killer', 'serial killer', 'murderer', 'murder'], ja: ['殺人鬼', '殺人', '殺し'] },
  { id: 'detective', en: ['detective', 'sleuth', 'investigator', 'solve case', 'solves case', 'solve mystery', 'solves mystery'], ja: ['探偵', '推理', '謎を解', '事件を解'] },
  { id: 'ninja', en: ['ninja', 'shinobi'], ja: ['忍者', '忍び'] },
  { id: 'samurai', en: ['samurai', 'swordsman', 'ronin', 'sword'], ja: ['侍', '剣士', '剣豪', '武士'] },
  { id: 'pirate', en: ['pirate'], ja: ['海賊'] },
  { id: 'viking', en: ['viking', 'norse', 'norseman'], ja: ['ヴァイキング', 'バイキング'] },
  { id: 'mage', en: ['mage', 'wizard', 'witch', 'sorcerer', 'sorceress', 'magician', 'magic'], ja: ['魔法使い', '魔術師', '魔女', '魔法'] },
  { id: 'hero', en: ['hero', 'superhero'], ja: ['勇者', 'ヒーロー', '英雄'] },
  { id: 'elf', en: ['elf', 'elven', 'elves'], ja: ['エルフ'] },
  { id: 'idol', en: ['idol', 'pop star'], ja: ['アイドル'] },
  { id: 'teacher', en: ['teacher', 'sensei', 'homeroom', 'tutor', 'instructor'], ja: ['先生', '教師', '担任', '家庭教師'] },
  { id: 'student', en: ['student', 'classmate', 'schoolgirl', 'schoolboy', 'high schooler', 'middle schooler'], ja: ['生徒', '学生', '高校生', '中学生', '同級生', 'クラスメイト'] },
  { id: 'delinquent', en: ['delinquent', 'thug', 'punk', 'gangster', 'yankee', 'biker gang'], ja: ['不良', 'ヤンキー', '暴走族'] },
  { id: 'orphan', en: ['orphan', 'orphanage', 'orphaned'], ja: ['孤児', '孤児院'] },
  { id: 'alchemy', en: ['alchemy', 'alchemist'], ja: ['錬金術'] },
  { id: 'robot', en: ['robot', 'android', 'cyborg', 'mecha', 'mech'], ja: ['ロボット', 'アンドロイド', 'サイボーグ'] },
  { id: 'alien', en: ['alien', 'extraterrestrial'], ja: ['宇宙人', 'エイリアン', '異星人'] },
  { id: 'parasite', en: ['parasite', 'parasitic'], ja: ['寄生'] },
  { id: 'vampire', en: ['vampire', 'bloodsucker'], ja: ['吸血鬼', 'ヴァンパイア'] },
  { id: 'ghost', en: ['ghost', 'spirit', 'yokai', 'phantom'], ja: ['幽霊', 'お化け', '妖怪', '霊'] },
  { id: 'demon', en: ['demon', 'devil', 'oni', 'fiend'], ja: ['悪魔', '鬼', '魔物', 'デビル'] },
  { id: 'monster', en: ['monster', 'beast', 'creature', 'kaiju'], ja: ['モンスター', '怪物', '怪獣', '魔物'] },
  { id: 'giant', en: ['giant', 'titan', 'colossal'], ja: ['巨人'] },
  { id: 'telepath', en: ['telepath', 'telepathy', 'telepathic', 'read mind', 'reads mind', 'mind reader', 'mind reading', 'psychic', 'esper'], ja: ['超能力', 'テレパス', 'エスパー', '心を読'] },
  { id: 'king', en: ['king', 'queen', 'royal', 'throne'], ja: ['国王', '王様', '王位', '女王', '王女'] },
  { id: 'palace', en: ['palace', 'imperial court', 'imperial', 'emperor', 'empress', 'harem', 'concubine', 'rear palace'], ja: ['宮廷', '後宮', '宮中', '王宮', '皇帝', '妃'] },
  { id: 'prince', en: ['prince', 'princess'], ja: ['王子', '姫', '皇子'] },
  // Family
  { id: 'father', en: ['dad', 'father', 'papa'], ja: ['父', 'パパ'] },
  { id: 'mother', en: ['mom', 'mother', 'mum', 'mama'], ja: ['母', 'ママ'] },
  { id: 'child', en: ['kid', 'child', 'children', 'daughter', 'son'], ja: ['子供', '子ども', '娘', '息子'] },
  { id: 'sibling', en: ['brother', 'sister', 'sibling', 'twin'], ja: ['兄弟', '姉妹', '兄', '弟', '姉', '妹', '双子'] },
  { id: 'family', en: ['family'], ja: ['家族', '一家'] },
  { id: 'girlfriend', en: ['girlfriend', 'boyfriend', 'dating'], ja: ['彼女', '彼氏', 'デート', '恋人'] },
  // What happens
  { id: 'revenge', en: ['revenge', 'vengeance', 'avenge', 'retribution'], ja: ['復讐', '仇'] },
  { id: 'death', en: ['kill', 'die', 'dead', 'death', 'deadly', 'murdered'], ja: ['死ぬ', '死ん', '殺す', '殺さ', '死'] },
  { id: 'bully', en: ['bully', 'bullied', 'bullying'], ja: ['いじめ'] },
  { id: 'reincarnation', en: ['reborn', 'reincarnate', 'reincarnation', 'isekai', 'another world', 'transported to'], ja: ['転生', '生まれ変わ', '異世界'] },
  { id: 'time-travel', en: ['time travel', 'back in time', 'time leap', 'travel back'], ja: ['タイムリープ', 'タイムスリップ', '過去に戻', 'タイムトラベル'] },
  { id: 'transform', en: ['transform', 'transformation', 'turn into', 'magical girl'], ja: ['変身', '魔法少女'] },
  { id: 'shrink', en: ['shrink', 'shrunk', 'shrank', 'child body', 'body of a child'], ja: ['小さく', '子供の体', '小学生の体', '体が縮'] },
  { id: 'rent', en: ['rent', 'rental', 'rented', 'renting', 'hire'], ja: ['レンタル'] },
  { id: 'debt', en: ['debt', 'owe', 'debtor'], ja: ['借金', '負債'] },
  { id: 'retire', en: ['retired', 'retire', 'retirement'], ja: ['引退'] },
  { id: 'immortal', en: ['outlive', 'outlived', 'immortal', 'immortality', 'long lived', 'ageless'], ja: ['長命', '長寿', '不老', '不死'] },
  { id: 'stretch', en: ['rubber', 'stretch', 'stretchy', 'elastic'], ja: ['ゴム', '伸び'] },
  { id: 'curse', en: ['curse', 'cursed', 'jujutsu'], ja: ['呪い', '呪術', '呪霊'] },
  { id: 'mystery', en: ['mystery', 'mysteries', 'puzzle', 'riddle'], ja: ['謎', 'ミステリー'] },
  { id: 'poison', en: ['poison', 'poisoning', 'poisoned', 'toxin'], ja: ['毒'] },
  { id: 'cooking', en: ['cook', 'cooking', 'chef', 'culinary', 'cuisine', 'recipe', 'eat', 'eating', 'meal'], ja: ['料理', '食べ', 'グルメ', '飯', 'シェフ'] },
  { id: 'war', en: ['war', 'soldier', 'army', 'military', 'battlefield', 'general'], ja: ['戦争', '兵士', '軍', '戦場', '将軍'] },
  { id: 'survival', en: ['survival', 'survive', 'death game', 'battle royale'], ja: ['サバイバル', 'デスゲーム', '生き残'] },
  { id: 'gamble', en: ['gamble', 'gambling', 'gambler', 'bet'], ja: ['ギャンブル', '賭け', '博打'] },
  { id: 'crime', en: ['yakuza', 'mafia', 'gang', 'criminal'], ja: ['ヤクザ', '極道', 'マフィア', '組織'] },
  { id: 'love', en: ['love', 'romance', 'romantic', 'crush', 'confess', 'confession'], ja: ['恋', '恋愛', '告白', '片思い'] },
  { id: 'friendship', en: ['friend', 'friendship'], ja: ['友達', '友情', '親友'] },
  // Places, things, settings
  { id: 'school', en: ['school', 'high school', 'academy', 'class', 'club'], ja: ['学校', '高校', '学園', '中学', '部活', 'クラス'] },
  { id: 'dungeon', en: ['dungeon', 'labyrinth'], ja: ['ダンジョン', '迷宮'] },
  { id: 'wall', en: ['wall', 'walls'], ja: ['壁'] },
  { id: 'rome', en: ['rome', 'roman', 'ancient rome'], ja: ['ローマ'] },
  { id: 'bath', en: ['bath', 'bathhouse', 'bathing', 'hot spring', 'onsen', 'sento'], ja: ['風呂', '浴場', '銭湯', '温泉'] },
  { id: 'abyss', en: ['abyss', 'chasm', 'bottomless pit'], ja: ['奈落', 'アビス', '深淵'] },
  { id: 'trash', en: ['trash', 'garbage', 'rubbish', 'junk', 'landfill', 'dump', 'scrap'], ja: ['ゴミ', 'ごみ', 'ガラクタ', '廃棄物', 'スクラップ'] },
  { id: 'notebook', en: ['notebook', 'diary'], ja: ['ノート', '手帳'] },
  { id: 'name', en: ['name'], ja: ['名前'] },
  { id: 'chainsaw', en: ['chainsaw'], ja: ['チェンソー', 'チェーンソー'] },
  { id: 'fox', en: ['fox', 'nine tailed', 'kyubi'], ja: ['狐', '九尾'] },
  // Not 猫 alone: it is half of names (猫猫, the apothecary of Kusuriya no Hitorigoto).
  { id: 'cat', en: ['cat', 'kitten', 'kitty'], ja: ['ネコ', '子猫', '黒猫', '猫型', '飼い猫', '野良猫'] },
  { id: 'future', en: ['future', '22nd century', 'futuristic'], ja: ['未来', '22世紀'] },
  { id: 'space', en: ['space', 'planet', 'galaxy', 'spaceship'], ja: ['宇宙', '惑星'] },
  { id: 'post-apocalypse', en: ['post apocalyptic', 'apocalypse', 'wasteland', 'ruin', 'end of the world'], ja: ['終末', '世紀末', '廃墟', '文明崩壊'] },
  { id: 'hand', en: ['hand', 'right hand'], ja: ['右手'] },
  { id: 'octopus', en: ['octopus', 'tentacle', 'tentacled'], ja: ['タコ', '触手'] },
  { id: 'convenience-store', en: ['convenience store', 'konbini'], ja: ['コンビニ'] },
  { id: 'moon', en: ['moon'], ja: ['月を破壊', '月面'] },
  { id: 'fuji', en: ['fuji', 'mount fuji'], ja: ['富士'] },
  { id: 'deaf', en: ['deaf', 'hearing impaired', 'hard of hearing', 'sign language'], ja: ['耳の聞こえない', '聴覚', '手話'] },
  { id: 'short', en: ['short', 'small', 'tiny'], ja: ['背の低い', '小柄', '低身長'] },
  { id: 'bald', en: ['bald', 'baldy'], ja: ['ハゲ', 'はげ', '禿'] },
  { id: 'punch', en: ['punch', 'one punch', 'one hit', 'single blow', 'one blow'], ja: ['パンチ', 'ワンパン', '一撃'] },
  { id: 'strong', en: ['strong', 'strongest', 'overpowered', 'invincible'], ja: ['最強', '強く', '無敵'] },
  { id: 'lazy', en: ['lazy', 'hopeless', 'loser', 'slacker', 'useless'], ja: ['ダメ', '怠け', '落ちこぼれ'] },
  // Sports, arts and hobbies
  { id: 'basketball', en: ['basketball'], ja: ['バスケ'] },
  { id: 'volleyball', en: ['volleyball', 'spiker', 'setter'], ja: ['バレー'] },
  { id: 'soccer', en: ['soccer', 'football', 'striker'], ja: ['サッカー'] },
  { id: 'baseball', en: ['baseball', 'pitcher', 'koshien'], ja: ['野球', '甲子園'] },
  { id: 'boxing', en: ['boxing', 'boxer'], ja: ['ボクシング', 'ボクサー'] },
  { id: 'martial-arts', en: ['martial art', 'kung fu', 'karate', 'fighter'], ja: ['格闘', '武術', '空手', '拳法'] },
  { id: 'racing', en: ['race', 'racing', 'racer', 'street racing', 'drift'], ja: ['レース', '走り屋'] },
  { id: 'shogi', en: ['shogi', 'japanese chess'], ja: ['将棋', '棋士', '棋譜'] },
  { id: 'go-game', en: ['go player', 'game of go', 'igo', 'baduk'], ja: ['囲碁', '碁'] },
  { id: 'skating', en: ['figure skating', 'figure skater', 'skating', 'skater', 'ice skating', 'ice dance', 'ice dancer', 'ice dancing', 'skate'], ja: ['フィギュアスケート', 'スケート', 'アイスダンス', 'フィギュアスケーター'] },
  { id: 'coach', en: ['coach', 'coaching', 'trainer', 'mentor'], ja: ['コーチ', '指導者', '監督'] },
  { id: 'olympics', en: ['olympic', 'olympics', 'medal', 'medalist'], ja: ['オリンピック', '五輪', 'メダル'] },
  { id: 'astronomy', en: ['heliocentrism', 'heliocentric', 'earth moves', 'earth revolves', 'earth orbits', 'earth goes around', 'movement of the earth', 'copernicus', 'copernican', 'astronomy', 'astronomer', 'star gazing', 'stargazing'], ja: ['地動説', '天動説', '天文', '地球の運動', '地球が動'] },
  { id: 'heresy', en: ['heresy', 'heretic', 'heretical', 'forbidden theory', 'inquisition', 'church', 'persecuted', 'persecution', 'torture'], ja: ['異端', '教会', '異端審問', '拷問'] },
  { id: 'medieval', en: ['medieval', 'middle ages', '15th century', 'renaissance'], ja: ['中世', '15世紀'] },
  { id: 'europe', en: ['europe', 'european'], ja: ['ヨーロッパ', '欧州'] },
  { id: 'diary', en: ['diary', 'diaries', 'journal'], ja: ['日記'] },
  { id: 'predict', en: ['predict', 'predicts', 'prediction', 'foresee', 'prophecy', 'tells the future', 'future'], ja: ['予言', '予知', '未来が書'] },
  { id: 'music', en: ['music', 'band', 'guitar', 'guitarist', 'piano', 'pianist', 'violin', 'violinist', 'singer', 'musician'], ja: ['音楽', 'バンド', 'ギター', 'ピアノ', 'バイオリン', '歌手'] },
  { id: 'manga-artist', en: ['mangaka', 'manga artist', 'drawing manga', 'draw manga', 'cartoonist'], ja: ['漫画家', '漫画を描'] },
  { id: 'camping', en: ['camp', 'camping', 'camper', 'outdoor'], ja: ['キャンプ', '野営'] },
  { id: 'cosplay', en: ['cosplay', 'cosplayer', 'costume'], ja: ['コスプレ'] },
];

/** A concept's term as it appears among search terms (never a real word: the tokenizer drops "§"). */
export function conceptTerm(id: string): string {
  return `§${id}`;
}

interface Lexicon {
  /** English phrases by their first stemmed word: the rest of each phrase, and its concept. */
  en: Map<string, { rest: string[]; id: string }[]>;
  /** Japanese forms (normalised: katakana folded to hiragana) and their concepts. */
  ja: { form: string; id: string }[];
}

let lexicon: Lexicon | undefined;

function build(): Lexicon {
  const en = new Map<string, { rest: string[]; id: string }[]>();
  const ja: { form: string; id: string }[] = [];
  for (const c of CONCEPTS) {
    for (const phrase of c.en) {
      const words = scriptRuns(normalize(phrase)).filter((r) => r.script === 'latin').map((r) => stem(r.text));
      if (words.length === 0) continue;
      const list = en.get(words[0]) ?? [];
      list.push({ rest: words.slice(1), id: c.id });
      en.set(words[0], list);
    }
    for (const form of c.ja) ja.push({ form: normalize(form), id: c.id });
  }
  return { en, ja };
}

/**
 * The concept terms a text mentions ("§spy", "§palace"), each once, in order of first mention.
 * Added to the text's search terms on both sides of a comparison.
 */
export function conceptsOf(text: string): string[] {
  lexicon ??= build();
  const found = new Set<string>();
  const runs = scriptRuns(normalize(text));
  const words: string[] = [];
  for (const run of runs) {
    if (run.script === 'latin') {
      words.push(stem(run.text));
      continue;
    }
    for (const { form, id } of lexicon.ja) if (run.text.includes(form)) found.add(id);
  }
  for (let i = 0; i < words.length; i++) {
    const candidates = lexicon.en.get(words[i]);
    if (!candidates) continue;
    for (const { rest, id } of candidates) {
      if (found.has(id)) continue;
      let ok = true;
      for (let k = 0; k < rest.length && ok; k++) ok = words[i + 1 + k] === rest[k];
      if (ok) found.add(id);
    }
  }
  return [...found].map(conceptTerm);
}
