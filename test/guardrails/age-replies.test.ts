// The store's answers around its 18+ rule (data/kb age-restricted): what a withheld title is and
// how to confirm an age, follow-ups to a refusal, abroad, and whether a title suits a reader.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { aspectNotice, readerPhrase, suitabilityReply, withheldNotice, withheldReply, type SuitabilityFacts } from '../../src/guardrails/age-replies.ts';

const guest = { kind: 'guest' as const };
const member = { kind: 'member' as const, ageConfirmed: false };

describe('withheldReply', () => {
  it('a title named by a guest or an unconfirmed member: the title, 18+, sold to signed-in customers who confirmed their age, how to confirm', () => {
    const en = withheldReply({ language: 'en', asker: guest, titles: ['Gantz'], turn: 'named' });
    assert.match(en, /^Gantz is an age-restricted \(18\+\) title: we sell it only to signed-in customers who have confirmed they are 18 or older/);
    assert.match(en, /sign in.*register your date of birth at \/account.*confirm that you are 18 or older/s);
    assert.doesNotMatch(en, /couldn't find|not found|removed/i);
    assert.match(withheldReply({ language: 'en', asker: member, titles: ['Elfen Lied'], turn: 'named' }), /Your account hasn't confirmed your age yet/);
    const ja = withheldReply({ language: 'ja', asker: guest, titles: ['ガンツ'], turn: 'named' });
    assert.match(ja, /『ガンツ』は年齢制限（18\+）のある作品で、ログインして年齢確認を済ませた18歳以上のお客さまにのみ販売/);
    assert.match(ja, /\/account で生年月日/);
    assert.match(withheldReply({ language: 'ja', asker: { kind: 'prime' }, titles: ['ガンツ'], turn: 'named' }), /まだ年齢確認がお済みではありません/);
  });
  it('follow-ups: why (the rule and where age is confirmed), an age claim (not a confirmation), never compliance', () => {
    const why = withheldReply({ language: 'en', asker: guest, titles: ['Gantz'], turn: 'why' });
    assert.match(why, /^Because Gantz is sold 18\+.*confirmed when you sign in, not in this chat/);
    const claim = withheldReply({ language: 'en', asker: guest, titles: ['Gantz'], turn: 'claim', claim: { age: 25, adult: true } });
    assert.match(claim, /can't take an age typed in the chat as confirmation/);
    assert.match(claim, /Once your age is confirmed, you'll see Gantz/);
    const ja = withheldReply({ language: 'ja', asker: guest, titles: ['監獄学園'], turn: 'claim', claim: { adult: true } });
    assert.match(ja, /チャットでお知らせいただいた年齢では確認できません/);
    const minor = withheldReply({ language: 'en', asker: guest, titles: ['Elfen Lied'], turn: 'named', claim: { age: 17, adult: false } });
    assert.match(minor, /under 18, it isn't something we can sell you/);
    assert.doesNotMatch(minor, /register your date of birth/);
    assert.match(withheldReply({ language: 'en', asker: guest, titles: [], turn: 'why' }), /^Because those titles are sold 18\+/);
  });
  it('what the store does differently for 18+ titles: not shipped abroad, no e-books, no carrier billing… (KB age-restricted)', () => {
    assert.match(withheldReply({ language: 'en', asker: guest, titles: ['Gantz'], turn: 'named', aspects: ['abroad'] }), /not shipped outside Japan/);
    assert.match(withheldReply({ language: 'ja', asker: guest, titles: ['ガンツ'], turn: 'named', aspects: ['abroad'] }), /海外へ発送できません/);
    assert.match(aspectNotice('en', ['Gantz'], ['abroad']), /^Please note: Gantz is an 18\+ title\. 18\+ titles are not shipped outside Japan/);
    assert.match(aspectNotice('en', ['Ichi the Killer'], ['digital']), /don't sell 18\+ titles as digital editions/);
    assert.match(aspectNotice('ja', ['ガンツ'], ['carrier']), /キャリア決済をご利用いただけません/);
    assert.equal(aspectNotice('en', ['Gantz'], []), '');
    assert.match(withheldNotice('en', guest, ['Battle Royale'], []), /^Battle Royale is an age-restricted \(18\+\) title.*\n\n$/s);
    assert.match(withheldReply({ language: 'en', asker: member, titles: ['Gantz'], turn: 'why', saysConfirmed: true }), /sign out and sign in again/);
  });
  it('a reader under 18: not suitable, all-ages titles like it named', () => {
    const r = withheldReply({ language: 'en', asker: guest, titles: ['Gantz'], turn: 'named', reader: { audience: 'teen', reader: 'my 15 year old', age: 15 }, alternatives: ['Attack on Titan', 'Parasyte'] });
    assert.match(r, /isn't suitable for a 15-year-old/);
    assert.match(r, /Attack on Titan and Parasyte/);
    const ja = withheldReply({ language: 'ja', asker: guest, titles: ['ガンツ'], turn: 'named', reader: { audience: 'teen', reader: '中学生' }, alternatives: ['進撃の巨人'] });
    assert.match(ja, /中学生の方には向いておりません/);
  });
});

describe('suitabilityReply', () => {
  const aot: SuitabilityFacts = { title: 'Attack on Titan', demographic: 'Shounen', genres: ['Action', 'Drama', 'Suspense'], themes: ['Gore', 'Military', 'Survival'], adult: false, childSafe: false, teenSafe: true };
  const op: SuitabilityFacts = { title: 'One Piece', demographic: 'Shounen', genres: ['Action', 'Adventure', 'Fantasy'], themes: [], adult: false, childSafe: true, teenSafe: true };
  it('a child and gore: not suggested, why, alternatives; the store has no age rating but 18+', () => {
    const r = suitabilityReply('en', aot, { audience: 'child', age: 12 }, ['One Piece', 'Haikyu!!']);
    assert.match(r, /isn't age-restricted/);
    assert.match(r, /Shounen/);
    assert.match(r, /graphic violence \(gore\)/);
    assert.match(r, /wouldn't suggest it for a 12-year-old/);
    assert.match(r, /Better suited for a 12-year-old: One Piece and Haikyu!!/);
    assert.match(r, /no age ratings besides the 18\+ label/);
  });
  it('a child and an all-ages adventure: fine, no alternatives', () => {
    const r = suitabilityReply('en', op, { audience: 'child', age: 9 }, ['Naruto']);
    assert.match(r, /should be fine for a 9-year-old/);
    assert.doesNotMatch(r, /Naruto/);
  });
  it('a teenager and gore: depends on the reader; in Japanese too', () => {
    assert.match(suitabilityReply('en', aot, { audience: 'teen', age: 14 }, []), /Teenagers can read it, but whether it suits a 14-year-old depends/);
    const ja = suitabilityReply('ja', { ...aot, title: '進撃の巨人' }, { audience: 'teen', reader: '中学生' }, []);
    assert.match(ja, /『進撃の巨人』は年齢制限のない少年向けの作品/);
    assert.match(ja, /残酷・グロテスクな描写/);
    assert.match(ja, /中学生の方でも読めますが/);
  });
  it('an 18+ title asked about for a minor by a customer who may see it', () => {
    const r = suitabilityReply('en', { ...aot, title: 'Gantz', adult: true }, { audience: 'teen', age: 15 }, ['Parasyte']);
    assert.match(r, /^Gantz is an age-restricted \(18\+\) title, sold only to customers aged 18 or over, so it isn't suitable for a 15-year-old\. Better suited/);
  });
  it('readers as the answer names them', () => {
    assert.equal(readerPhrase('en', { reader: 'my son', audience: undefined }), 'your son');
    assert.equal(readerPhrase('en', { audience: 'teen' }), 'teenagers');
    assert.equal(readerPhrase('ja', { reader: '小学生', audience: 'child' }), '小学生のお子さま');
    assert.equal(readerPhrase('ja', { age: 10, audience: 'child' }), '10歳のお子さま');
  });
});

describe('suitabilityReply: content questions (round 5)', () => {
  const punpun: SuitabilityFacts = { title: 'Goodnight Punpun', demographic: 'Seinen', genres: ['Drama', 'Slice of Life'], themes: ['Psychological'], adult: false, childSafe: false, teenSafe: true, tagsShown: ['Drama', 'Slice of Life', 'Psychological'] };
  const csm: SuitabilityFacts = { title: 'チェンソーマン', demographic: 'Shounen', genres: ['Action', 'Supernatural'], themes: ['Gore'], adult: false, childSafe: false, teenSafe: true, tagsShown: ['アクション', '超常現象', 'グロ描写'] };
  it('no, by its tags, and what it is instead (no recommendation list)', () => {
    const r = suitabilityReply('en', punpun, { content: ['gore'] }, []);
    assert.match(r, /^No: Goodnight Punpun's genres and themes list no graphic violence \(gore\)\./);
    assert.match(r, /Seinen/);
    assert.match(r, /Its genres and themes: Drama, Slice of Life, Psychological\./);
    assert.match(r, /does have dark psychological themes/);
  });
  it('yes, in Japanese, the asked aspect not said twice', () => {
    const r = suitabilityReply('ja', csm, { content: ['gore'] }, []);
    assert.match(r, /^はい、『チェンソーマン』には残酷・グロテスクな描写があります。/);
    assert.equal(r.match(/残酷・グロテスク/g)?.length, 1, r);
    assert.match(r, /年齢制限のない少年向け/);
  });
  it('partly: action without gore', () => {
    const r = suitabilityReply('en', { ...punpun, title: 'Haikyu!!', genres: ['Action', 'Sports'], themes: ['School'], tagsShown: [] }, { content: ['violence'] }, []);
    assert.match(r, /^Haikyu!! has fights and action, but its genres and themes list no graphic violence/);
  });
  it('sad: a drama is moving; for adults: by the demographic', () => {
    assert.match(suitabilityReply('ja', { ...punpun, title: 'おやすみプンプン' }, { content: ['sad'] }, []), /^はい、『おやすみプンプン』には泣ける・感動系のドラマ要素があります。/);
    assert.match(suitabilityReply('en', punpun, { audience: 'adult', reader: 'adults' }, []), /^Yes: Goodnight Punpun is written for adult readers\./);
    assert.match(suitabilityReply('ja', csm, { audience: 'adult', reader: '大人' }, []), /^『チェンソーマン』は大人だけに向けて描かれた作品ではありません/);
  });
  it('sexual content: an 18+ title says yes and that it is 18+', () => {
    assert.match(suitabilityReply('en', { ...punpun, title: 'Gantz', adult: true }, { content: ['sexual'] }, []), /^Yes: Gantz has sexual content or fan service\. Gantz is an age-restricted \(18\+\) title/);
  });
});
