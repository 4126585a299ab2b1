// Evaluation times and timestamps on the JS side, with the core's reading of ISO-8601: a date or
// date-time without a zone is UTC (JavaScript's Date.parse would read a zoneless date-time as
// local time, which would make results depend on the machine's time zone).

import { StagelineError } from './errors.js';

const ZONED = /(Z|[+-]\d\d:?\d\d)$/i;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** Epoch ms of a number, Date or ISO-8601 string; NaN when it is none of those. */
export function timestampMs(value) {
  if (typeof value === 'number') return value;
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'string') {
    const text = value.trim();
    if (/^-?\d+$/.test(text)) return Number(text);
    if (DATE_ONLY.test(text)) return Date.parse(`${text}T00:00:00Z`);
    return Date.parse(ZONED.test(text) ? text : `${text.replace(' ', 'T')}Z`);
  }
  return NaN;
}

/** The `at` of an API call: a number of ms, a Date or an ISO string; now when undefined. */
export function evaluationTime(at, name = 'at') {
  if (at === undefined) return Date.now();
  const ms = timestampMs(at);
  if (!Number.isFinite(ms)) {
    throw new StagelineError('invalid_argument', name, 'expected epoch milliseconds, a Date or an ISO-8601 string');
  }
  return ms;
}
