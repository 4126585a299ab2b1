// Seeded simulations of the BG/NBD purchase process and Gamma-Gamma spends, for the node tests and
// bench/btyd.bench.js. Follows the models' stories (Fader, Hardie & Lee 2005; Hardie's note 025).

/** splitmix32-style generator: deterministic uniform [0, 1) numbers from a 32-bit seed. */
export function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return ((z ^ (z >>> 16)) >>> 0) / 4294967296;
  };
}

function normal(random) {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** Gamma(shape, rate) by Marsaglia & Tsang (2000), boosted for shape < 1. */
export function gamma(random, shape, rate) {
  if (shape < 1) return gamma(random, shape + 1, rate) * Math.pow(1 - random(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x, v;
    do {
      x = normal(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - random();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return (d * v) / rate;
  }
}

/**
 * BG/NBD customers with ages T uniform in [tMin, tMax]: exponential inter-purchase times, drop-out
 * with probability p after each repeat purchase. Returns the purchase times (relative to the first,
 * which is at 0) per customer.
 */
export function simulateBgNbdPurchases({ r, alpha, a, b }, n, tMin, tMax, random) {
  const customers = [];
  for (let i = 0; i < n; i++) {
    const lambda = gamma(random, r, alpha);
    const g1 = gamma(random, a, 1);
    const p = g1 / (g1 + gamma(random, b, 1));
    const T = tMin + (tMax - tMin) * random();
    const times = [0];
    let t = 0;
    for (;;) {
      t += -Math.log(1 - random()) / lambda;
      if (t > T) break;
      times.push(t);
      if (random() < p) break;
    }
    customers.push({ T, times });
  }
  return customers;
}

/** (frequency, recency, T) columns of simulated BG/NBD customers in continuous time. */
export function bgNbdColumns(customers) {
  const n = customers.length;
  const frequency = new Float64Array(n);
  const recency = new Float64Array(n);
  const T = new Float64Array(n);
  customers.forEach((c, i) => {
    frequency[i] = c.times.length - 1;
    recency[i] = c.times[c.times.length - 1];
    T[i] = c.T;
  });
  return { frequency, recency, T };
}

/** Gamma-Gamma spend draws: nu ~ Gamma(q, v) per customer, each amount ~ Gamma(p, nu). */
export function spendSampler({ p, q, v }, random) {
  return {
    customerRate: () => gamma(random, q, v),
    amount: (nu) => gamma(random, p, nu),
  };
}
