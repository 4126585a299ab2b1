// A deterministic synthetic shop: the sample data behind `npm start`, the examples and the benchmarks.
//
// What it simulates, per customer (all randomness from one seeded PRNG, so the same options give
// byte-identical data on every machine):
// - Arrival: a first visit on a uniformly random day of the window (default 18 months from
//   2024-01-01). 50% of arrivals only browse (1-3 visits), 20% sign up but never buy, 30% buy.
// - Buying follows the "buy till you die" story used by BG/NBD: each buyer has a personal purchase
//   rate (gamma-distributed, mean one order per ~45 days) and after every order drops out for good
//   with probability 0.25. Every order is preceded by a visit and an add_to_cart, and its amount is
//   log-normal (median ~48, long right tail).
// - After orders: 8% are returned (refund of the whole amount 3-10 days later); 12% raise a support
//   ticket, 85% of which are closed 1-5 days later and followed by a CSAT (1-5) and sometimes a CES
//   (1-7) survey; 30% are followed by an NPS survey (0-10) a week later. Scores depend on a per-
//   customer satisfaction trait, lowered by tickets. Promoters (NPS 9-10) refer a friend with
//   probability 0.3.
// - Churners: buyers who dropped out stop visiting; 20% of them send an explicit `cancel`.
//   Alive buyers keep visiting between orders (about weekly).
// - Nothing is generated after the end of the window.
// - Acquisition spend (acquisitionSpend, for CAC): per month, the month's arrivals × a cost per
//   arrival drawn from 6.00-10.00 by a second PRNG, so the events above do not depend on it.

const DAY = 86_400_000;

/** mulberry32: a tiny, well-distributed 32-bit PRNG; deterministic across JS engines. */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function makeRandom(seed) {
  const uniform = mulberry32(seed);
  const normal = () => {
    const u = Math.max(uniform(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  };
  const exponential = (mean) => -Math.log(Math.max(uniform(), 1e-12)) * mean;
  // Gamma(shape k >= 1) by Marsaglia-Tsang; scaled to the requested mean.
  const gamma = (shape, mean) => {
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      const x = normal();
      const v = (1 + c * x) ** 3;
      if (v <= 0) continue;
      if (Math.log(Math.max(uniform(), 1e-12)) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
        return (d * v * mean) / shape;
      }
    }
  };
  const int = (lo, hi) => lo + Math.floor(uniform() * (hi - lo + 1));
  return { uniform, normal, exponential, gamma, int, chance: (p) => uniform() < p };
}

/**
 * Generates the shop's events as columns (time-ordered per customer, customers interleaved by id).
 * @param {{customers?: number, seed?: number, start?: string, months?: number}} options
 * @returns {{customerId: string[], type: string[], timestamp: Float64Array, value: Float64Array,
 *            start: number, end: number}} value is NaN where an event has none.
 */
export function generateShop({ customers = 5000, seed = 42, start = '2024-01-01', months = 18 } = {}) {
  const random = makeRandom(seed);
  const startMs = Date.parse(`${start}T00:00:00Z`);
  const endDate = new Date(startMs);
  endDate.setUTCMonth(endDate.getUTCMonth() + months);
  const endMs = endDate.getTime();
  const windowDays = (endMs - startMs) / DAY;

  const ids = [];
  const types = [];
  const times = [];
  const values = [];

  for (let c = 0; c < customers; c++) {
    const id = `c${String(c + 1).padStart(6, '0')}`;
    const events = [];
    const emit = (type, t, value = NaN) => {
      if (t < endMs) events.push([t, type, value]);
    };
    // Arrival at a random time of a random day.
    let t = startMs + Math.floor(random.uniform() * windowDays) * DAY + random.int(8, 22) * 3_600_000;
    emit('visit', t);
    const kind = random.uniform();
    if (kind < 0.5) {
      // Browser: a couple more visits within a month, maybe a pricing page.
      for (let v = random.int(0, 2); v > 0; v--) emit('visit', t + random.exponential(10) * DAY);
      if (random.chance(0.2)) emit('pricing_view', t + 60_000);
    } else {
      t += random.exponential(3) * DAY;
      emit('signup', t);
      if (kind >= 0.7) {
        let satisfaction = 0.55 + 0.45 * random.uniform();  // 0.55..1
        const meanGapDays = random.gamma(2, 45);
        let alive = true;
        let orders = 0;
        t += random.exponential(7) * DAY;
        while (alive && t < endMs) {
          emit('visit', t - 600_000);
          emit('add_to_cart', t - 300_000);
          const amount = Math.round(Math.exp(3.87 + 0.6 * random.normal()) * 100) / 100;
          emit('purchase', t, amount);
          orders++;
          if (random.chance(0.08)) emit('refund', t + random.int(3, 10) * DAY, amount);
          if (random.chance(0.12)) {
            const opened = t + random.int(1, 20) * DAY;
            emit('ticket_opened', opened);
            satisfaction -= 0.1;
            if (random.chance(0.85)) {
              const closed = opened + random.int(1, 5) * DAY;
              emit('ticket_closed', closed);
              emit('csat', closed + 3_600_000, clamp(Math.round(1 + 4 * satisfaction + random.normal() * 0.7), 1, 5));
              if (random.chance(0.5)) {
                emit('ces', closed + 3_700_000, clamp(Math.round(1 + 6 * satisfaction + random.normal()), 1, 7));
              }
            }
          }
          if (random.chance(0.3)) {
            const nps = clamp(Math.round(10 * satisfaction + random.normal() * 1.5), 0, 10);
            emit('nps', t + 7 * DAY, nps);
            if (nps >= 9 && random.chance(0.3)) emit('referral', t + random.int(8, 30) * DAY);
          }
          const next = t + random.exponential(meanGapDays) * DAY;
          // Weekly-ish visits while the customer is still around.
          for (let v = t + random.exponential(7) * DAY; v < next; v += random.exponential(7) * DAY) emit('visit', v);
          if (random.chance(0.25)) {
            alive = false;
            if (random.chance(0.2)) emit('cancel', t + random.int(5, 40) * DAY);
          }
          t = next;
        }
        if (orders === 0) emit('visit', t);
      }
    }
    events.sort((a, b) => a[0] - b[0]);
    for (const [time, type, value] of events) {
      ids.push(id);
      types.push(type);
      times.push(Math.round(time));
      values.push(value);
    }
  }
  return {
    customerId: ids,
    type: types,
    timestamp: Float64Array.from(times),
    value: Float64Array.from(values),
    start: startMs,
    end: endMs,
  };
}

function clamp(x, lo, hi) {
  return Math.min(hi, Math.max(lo, x));
}

/** The same events as CSV text (customer_id,type,timestamp,value) with ISO timestamps. */
export function toCsv(shop) {
  const lines = ['customer_id,type,timestamp,value'];
  for (let i = 0; i < shop.customerId.length; i++) {
    const v = shop.value[i];
    lines.push(`${shop.customerId[i]},${shop.type[i]},${new Date(shop.timestamp[i]).toISOString()},${Number.isNaN(v) ? '' : v}`);
  }
  return lines.join('\n') + '\n';
}

const MONTH_LABEL = (ms) => new Date(ms).toISOString().slice(0, 7);
const COST_PER_ARRIVAL = [6, 10];  // currency units per new visitor, drawn per month

/**
 * The shop's acquisition spend per calendar month of the window, for the CAC card: what bringing
 * that month's new visitors cost. Spend = arrivals in the month (customers whose first event is in
 * it) × a cost per arrival drawn for the month uniformly from 6.00 to 10.00, rounded to cents. The
 * costs come from their own PRNG (seed + 1), so the events of generateShop are unchanged.
 * @returns {{period: string, spend: number}[]} one entry per month, 'YYYY-MM' labels in order.
 */
export function acquisitionSpend(shop, { seed = 42 } = {}) {
  const uniform = mulberry32(seed + 1);
  const arrivals = new Map();
  for (let month = new Date(shop.start); month.getTime() < shop.end; month.setUTCMonth(month.getUTCMonth() + 1)) {
    arrivals.set(MONTH_LABEL(month.getTime()), 0);
  }
  for (let i = 0; i < shop.customerId.length; i++) {
    if (i > 0 && shop.customerId[i] === shop.customerId[i - 1]) continue;  // rows of a customer are together, in time order
    const label = MONTH_LABEL(shop.timestamp[i]);
    arrivals.set(label, arrivals.get(label) + 1);
  }
  const [low, high] = COST_PER_ARRIVAL;
  return [...arrivals].map(([period, count]) => ({ period, spend: Math.round(count * (low + (high - low) * uniform()) * 100) / 100 }));
}

/** Spend as CSV text (period,spend), the format the dashboard reads. */
export function spendCsv(spend) {
  return ['period,spend', ...spend.map(({ period, spend: amount }) => `${period},${amount.toFixed(2)}`)].join('\n') + '\n';
}
