import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { asksDigitalPreorder, asksPreorderArrivalAfterShown } from '../../src/chat/preorder-question.ts';
import { promotionTitleQuery } from '../../src/promotions/promotion-match.ts';
import { extractEntities } from '../../src/understanding/entities.ts';
import { smallTalkKind } from '../../src/understanding/small-talk.ts';

// Understanding behind fixer P's policy, promotion, safety and escalation follow-ups (step 8).
describe('follow-ups: step 8 (fixer P)', () => {
  it('arrival on release day right after a volume shown up for preorder is the preorder rule, not an order', () => {
    const shown = 'Vol. 21 (paperback): ¥583, available for preorder — it releases Mar 20, 2027.';
    assert.ok(asksPreorderArrivalAfterShown('I live in Hokkaido, will it arrive on the day?', shown));
    assert.ok(asksPreorderArrivalAfterShown('沖縄だと発売日に届かない？', '14巻（単行本）：924円、ただいま予約受付中です（2027年4月18日発売予定）。'));
    assert.ok(asksPreorderArrivalAfterShown("we're in okinawa, will it get here on release day?", shown));
    assert.ok(!asksPreorderArrivalAfterShown('I live in Hokkaido, will it arrive on the day?', 'Vol. 3 (paperback): ¥583, in stock.'));
    assert.ok(!asksPreorderArrivalAfterShown('where is my order?', shown));
  });

  it('preordering a volume as an e-book asks the digital rule too', () => {
    assert.ok(asksDigitalPreorder('can I preorder the digital edition of One Piece 113?'));
    assert.ok(asksDigitalPreorder('ワンピース113巻って電子版で予約できますか？'));
    assert.ok(!asksDigitalPreorder('can I preorder One Piece 113?'));
  });

  it('"the kanzenban one, when does it end" names no title: a promotion just listed is pointed at', () => {
    assert.equal(promotionTitleQuery('the kanzenban one, when does it end'), '');
    assert.equal(promotionTitleQuery('the sports one, until when?'), 'sports');
    assert.equal(promotionTitleQuery('any deals on one piece?'), 'one piece');
    assert.equal(promotionTitleQuery('the One Piece one, how long does it last?'), 'One Piece');
  });

  it('a bare volume number before "is back" / "is in stock" is the volume', () => {
    assert.equal(extractEntities('sorry. just tell me if spy x family 12 is back', 'en').volume, 12);
    assert.equal(extractEntities('tell me if frieren 13 is in stock', 'en').volume, 13);
    assert.equal(extractEntities('top 5 is out', 'en').volume, undefined);
  });

  it('asking who one is talking to is a question about the assistant, not a request for staff', () => {
    assert.equal(smallTalkKind('今話してるのは人間？'), 'assistant');
    assert.equal(smallTalkKind('話してる相手は人？'), 'assistant');
    assert.equal(smallTalkKind('who am I chatting with, a human?'), 'assistant');
    assert.equal(smallTalkKind('人間と話したい'), undefined);
    assert.equal(smallTalkKind('スタッフと話したい'), undefined);
  });
});
