import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { ticketNumber } from '../../src/escalation/ticket-number.ts';

test('a ticket number is the first eight characters of its id, in capitals: short, and a prefix of the id', () => {
  assert.equal(ticketNumber('d3e1d0af-eb56-4b4c-9ec3-c69b8692117e'), 'D3E1D0AF');
  const id = randomUUID();
  assert.ok(id.toUpperCase().startsWith(ticketNumber(id)));
  assert.match(ticketNumber(id), /^[0-9A-F]{8}$/);
});

test('an id that is not a UUID is shown as it is', () => {
  assert.equal(ticketNumber('t-1'), 't-1');
});
