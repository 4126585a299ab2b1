// The dashboard's acquisition spend: the `period,spend` reader (examples/dashboard/spend.js) and the
// sample shop's deterministic spend series (acquisitionSpend in examples/data/shop-generator.js).

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { acquisitionSpend, generateShop, mulberry32, spendCsv } from '../../../examples/data/shop-generator.js';
import { parseSpend, SpendError, spendWithin } from '../../../examples/dashboard/spend.js';

test('period,spend lines with a header, blank lines, CRLF, semicolons and quotes', () => {
  assert.deepEqual(parseSpend('period,spend\r\n2024-01,1200\r\n\r\n2024-02;950.5\n"2024-03", "0"\n'),
    { '2024-01': 1200, '2024-02': 950.5, '2024-03': 0 });
  assert.deepEqual(parseSpend('2024-12,1e3'), { '2024-12': 1000 });
  assert.deepEqual(parseSpend(''), {});
});

test('bad lines are errors naming the line and column', () => {
  const cases = [
    ['period,spend\n2024-1,100', 2, 'period', 'line 2, column period: expected a month as YYYY-MM, got "2024-1"'],
    ['2024-13,100', 1, 'period', 'line 1, column period: expected a month as YYYY-MM, got "2024-13"'],
    ['2024-01,abc', 1, 'spend', 'line 1, column spend: expected an amount ≥ 0 (digits, optional decimals), got "abc"'],
    ['p,s\n2024-01,-5', 2, 'spend', 'line 2, column spend: expected an amount ≥ 0 (digits, optional decimals), got "-5"'],
    ['2024-01,1,000', 1, 'spend', 'line 1, column spend: expected two fields (period,spend), got 3'],
    ['2024-01,5\n\n2024-01,6', 3, 'period', 'line 3, column period: 2024-01 is given twice'],
  ];
  for (const [text, row, column, message] of cases) {
    assert.throws(() => parseSpend(text), (error) => error instanceof SpendError && error.row === row && error.column === column
      && error.message === message, text);
  }
});

test('labels outside the analysis periods are set aside, in order', () => {
  assert.deepEqual(spendWithin({ '2024-03': 5, '2023-12': 1, '2024-01': 2, '2023-11': 4 }, ['2024-01', '2024-02', '2024-03']),
    { used: { '2024-03': 5, '2024-01': 2 }, outside: ['2023-11', '2023-12'] });
});

test('the sample spend: arrivals per month × a per-month cost per arrival from mulberry32(seed + 1)', () => {
  // Three customers over two months (seed 42): first seen c000001 2024-02-06, c000002 2024-01-04,
  // c000003 2024-01-12 (checked first), so January has 2 arrivals and February 1.
  const shop = generateShop({ customers: 3, months: 2 });
  const firstSeen = ['c000001', 'c000002', 'c000003'].map((id) => new Date(shop.timestamp[shop.customerId.indexOf(id)]).toISOString().slice(0, 10));
  assert.deepEqual(firstSeen, ['2024-02-06', '2024-01-04', '2024-01-12']);
  const draw = mulberry32(43);
  const january = 2 * (6 + 4 * draw());
  const february = 1 * (6 + 4 * draw());
  assert.deepEqual(acquisitionSpend(shop), [
    { period: '2024-01', spend: Math.round(january * 100) / 100 },
    { period: '2024-02', spend: Math.round(february * 100) / 100 },
  ]);
  assert.equal(spendCsv(acquisitionSpend(shop)), `period,spend\n2024-01,${january.toFixed(2)}\n2024-02,${february.toFixed(2)}\n`);
});

test('the 18-month sample has one spend per month, reads back through parseSpend, and is the same every run', () => {
  const shop = generateShop({ customers: 500 });
  const spend = acquisitionSpend(shop);
  assert.equal(spend.length, 18);
  assert.equal(spend[0].period, '2024-01');
  assert.equal(spend[17].period, '2025-06');
  for (const { spend: amount } of spend) assert.ok(amount >= 0);
  assert.deepEqual(parseSpend(spendCsv(spend)), Object.fromEntries(spend.map(({ period, spend: amount }) => [period, amount])));
  assert.deepEqual(acquisitionSpend(generateShop({ customers: 500 })), spend);
});
