// guessColumns (web/src/datasets/columns.js): the column guesser `stageline analyze` and the dashboard share.
// Expected mappings are read off the column names by the rule documented on guessColumns (names
// compared in lower case with only letters and digits, each field's candidates best first).

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { DATASET_FIELDS, guessColumns } from '../../../web/src/index.js';

test('order lines with spaced, capitalised names (the Online Retail layout)', () => {
  const columns = ['InvoiceNo', 'StockCode', 'Description', 'Quantity', 'InvoiceDate', 'Unit Price', 'Customer ID', 'Country'];
  assert.deepEqual(guessColumns(columns), {
    kind: 'transactions',
    mapping: { customerId: 'Customer ID', timestamp: 'InvoiceDate', quantity: 'Quantity', unitPrice: 'Unit Price', orderId: 'InvoiceNo', product: 'StockCode' },
  });
});

test('an events file with one value column also reads survey scores from it', () => {
  assert.deepEqual(guessColumns(['customer_id', 'type', 'timestamp', 'value']), {
    kind: 'events',
    mapping: { customerId: 'customer_id', timestamp: 'timestamp', type: 'type', amount: 'value', score: 'value' },
  });
  // A real score column wins over the fallback ("nps" is a score name).
  assert.deepEqual(guessColumns(['user', 'event', 'ts', 'revenue', 'NPS']).mapping,
    { customerId: 'user', timestamp: 'ts', type: 'event', amount: 'revenue', score: 'NPS' });
});

test('the best candidate wins, and a column is used once', () => {
  // "customer" ranks before "user"; "date" is taken by timestamp before orderdate is tried.
  assert.deepEqual(guessColumns(['user', 'Customer', 'date', 'order date', 'total']).mapping,
    { customerId: 'Customer', timestamp: 'date', amount: 'total' });
});

test('given columns are kept and not guessed again; a given kind is honoured', () => {
  const columns = ['who', 'customer_id', 'when', 'type', 'amount'];
  const { mapping, kind } = guessColumns(columns, { given: { customerId: 'who', amount: 'amount' } });
  assert.equal(kind, 'events');
  // amount was given, so it is not copied to score.
  assert.deepEqual(mapping, { customerId: 'who', amount: 'amount', type: 'type' });
  // kind transactions drops the type column even though one was found.
  assert.deepEqual(guessColumns(columns, { kind: 'transactions' }),
    { kind: 'transactions', mapping: { customerId: 'customer_id', amount: 'amount' } });
});

test('the fields are the loaders\' mapping keys', () => {
  assert.deepEqual([...DATASET_FIELDS], ['customerId', 'timestamp', 'type', 'amount', 'quantity', 'unitPrice', 'orderId', 'score', 'product']);
  assert.ok(Object.isFrozen(DATASET_FIELDS));
});
