import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractEntities } from '../../src/understanding/entities.ts';

test('"what\'s the weather like in Osaka?" likes no title; "something like Berserk" still does', () => {
  for (const text of ["what's the weather like in Osaka?", 'what is it like at your warehouse today?', 'how does it look like now']) {
    assert.equal(extractEntities(text).likeQuery, undefined, text);
  }
  assert.equal(extractEntities('something like Berserk but shorter').likeQuery, 'berserk');
  assert.equal(extractEntities('manga like in the style of Monster').likeQuery, 'monster');
});

test('"like it then", "like that one too" name no title: the series in play is the anchor', () => {
  for (const text of ['ok what do you have like it then?', 'anything like that one too?', 'got something similar to this instead?', 'more like those please']) {
    assert.equal(extractEntities(text).likeQuery, undefined, text);
  }
  assert.equal(extractEntities('anything like Then, I think of you?').likeQuery !== undefined, true);
});
