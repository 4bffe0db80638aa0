import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonical } from '../../src/recommendations/cached-recommendations.ts';

test('the cache key tells every constraint apart: a cached list never answers a narrower request', () => {
  const base = { genres: ['Romance'], seedSeriesIds: ['berserk'] };
  const keys = [
    canonical(base),
    canonical({ ...base, maxVolumes: 9 }),
    canonical({ ...base, shorterThanSeeds: true }),
    canonical({ ...base, status: 'finished' }),
    canonical({ ...base, audience: 'child' }),
    canonical({ ...base, sameAuthor: true }),
    canonical({ ...base, excludeTags: ['Horror'] }),
    canonical({ ...base, excludeSeriesIds: ['naruto'] }),
  ];
  assert.equal(new Set(keys).size, keys.length);
  // Order and case of lists do not matter.
  assert.equal(canonical({ genres: ['romance', 'Comedy'], excludeTags: ['gore', 'Horror'] }), canonical({ genres: ['comedy', 'Romance'], excludeTags: ['horror', 'Gore'] }));
});
