// Buy-till-you-die models (BG/NBD, Pareto/NBD, Gamma-Gamma) and lifetimes' per-customer summary,
// computed by the C++ core (wasm/predictive/btyd_bindings.cpp). Columns cross as Float64Arrays; per-customer
// methods take numbers (and return a number) or arrays / typed arrays (and return a Float64Array).

import { StagelineError, unwrap } from '../common/errors.js';
import { timestampMs } from '../common/time.js';

const PERIODS = new Set(['D', 'W', 'M']);

function toFloat64(values, name) {
  if (values instanceof Float64Array) return values;
  if (values === null || values === undefined || typeof values.length !== 'number') {
    throw new StagelineError('invalid_argument', name, 'expected an array or typed array of numbers');
  }
  return Float64Array.from(values, Number);
}

function period(value, name = 'period') {
  const p = value === undefined ? 'D' : value;
  if (!PERIODS.has(p)) throw new StagelineError('invalid_argument', name, `expected "D", "W" or "M", got ${JSON.stringify(p)}`);
  return p;
}

function timeMs(value, name) {
  const ms = timestampMs(value);  // ISO without a zone is UTC, as everywhere in Stageline
  if (!Number.isFinite(ms)) {
    throw new StagelineError('invalid_argument', name, 'expected a Date, an ISO date string or epoch milliseconds');
  }
  return ms;
}

/**
 * Broadcasts per-customer arguments: all numbers → one row, returned as a number; otherwise every
 * array must have the same length n and numbers repeat n times, returned as a Float64Array.
 */
function perCustomer(args, names, compute) {
  const arrays = args.filter((a) => typeof a !== 'number');
  if (arrays.length === 0) return compute(args.map((a) => Float64Array.of(a)))[0];
  const n = arrays[0].length;
  const columns = args.map((a, i) => {
    if (typeof a === 'number') return new Float64Array(n).fill(a);
    const column = toFloat64(a, names[i]);
    if (column.length !== n) throw new StagelineError('invalid_argument', names[i], `expected ${n} values, got ${column.length}`);
    return column;
  });
  return compute(columns);
}

function fitResult(raw, names) {
  const result = {};
  names.forEach((name, i) => {
    result[name] = raw.params[i];
  });
  result.logLikelihood = raw.logLikelihood;
  result.iterations = raw.iterations;
  result.converged = raw.converged;
  result.customers = raw.customers;
  return result;
}

/** The binding arguments of summary options {period, observationEnd, calibrationEnd?}. */
export function summaryOptions(options) {
  const hasCalibration = options.calibrationEnd !== undefined && options.calibrationEnd !== null;
  return {
    unit: period(options.period),
    observationEnd: timeMs(options.observationEnd, 'observationEnd'),
    calibrationEnd: hasCalibration ? timeMs(options.calibrationEnd, 'calibrationEnd') : NaN,
  };
}

/** {customerIds, frequency, recency, T, monetary, (holdout columns)} from a summary binding's result. */
export function summaryResult(raw, customerIds) {
  const result = { customerIds, frequency: raw.frequency, recency: raw.recency, T: raw.T, monetary: raw.monetary };
  if (raw.frequencyHoldout !== undefined) {
    result.frequencyHoldout = raw.frequencyHoldout;
    result.monetaryHoldout = raw.monetaryHoldout;
    result.durationHoldout = raw.durationHoldout;
  }
  return result;
}

/** The buy-till-you-die functions of one module instance. */
export function createBtydApi(module) {
  function transactionModel(kind, names, data) {
    const frequency = toFloat64(data?.frequency, 'frequency');
    const fit = kind === 'bgnbd' ? module.btydFitBGNBD : module.btydFitParetoNBD;
    const raw = unwrap(fit(frequency, toFloat64(data.recency, 'recency'), toFloat64(data.T, 'T')));
    const params = Float64Array.from(raw.params);
    const result = fitResult(raw, names);
    const evaluate = (what, t, x, tx, T) =>
      perCustomer([t, x, tx, T], ['t', 'frequency', 'recency', 'T'], ([tc, xc, txc, Tc]) =>
        unwrap(module.btydTransactionModel(kind, what, params, tc, xc, txc, Tc)),
      );
    result.model = kind;
    /** P(alive | x, tx, T). */
    result.pAlive = (x, tx, T) => evaluate('pAlive', 0, x, tx, T);
    /** Expected purchases in the next t periods given (x, tx, T). */
    result.expectedPurchases = (t, x, tx, T) => evaluate('expectedPurchases', t, x, tx, T);
    return Object.freeze(result);
  }

  return {
    /** Maximum-likelihood BG/NBD fit: { r, alpha, a, b, logLikelihood, iterations, converged, pAlive, expectedPurchases }. */
    fitBGNBD: (data) => transactionModel('bgnbd', ['r', 'alpha', 'a', 'b'], data),
    /** Maximum-likelihood Pareto/NBD fit: { r, alpha, s, beta, ... }. */
    fitParetoNBD: (data) => transactionModel('pareto', ['r', 'alpha', 's', 'beta'], data),

    /** Gamma-Gamma spend fit over the customers with frequency > 0: { p, q, v, ..., expectedSpend(x, m) }. */
    fitGammaGamma(data) {
      const raw = unwrap(module.btydFitGammaGamma(toFloat64(data?.frequency, 'frequency'), toFloat64(data.monetary, 'monetary')));
      const params = Float64Array.from(raw.params);
      const result = fitResult(raw, ['p', 'q', 'v']);
      result.expectedSpend = (x, m) =>
        perCustomer([x, m], ['frequency', 'monetary'], ([xc, mc]) => unwrap(module.btydExpectedSpend(params, xc, mc)));
      return Object.freeze(result);
    },

    /**
     * lifetimes' customer_lifetime_value: discounted value over `months` months of the transaction
     * model's expected purchases at the Gamma-Gamma expected spend.
     */
    customerLifetimeValue({ transactionModel: model, spendModel, frequency, recency, T, monetary, months = 12, discountRate = 0.01, period: unit = 'D' }) {
      if (!model || (model.model !== 'bgnbd' && model.model !== 'pareto')) {
        throw new StagelineError('invalid_argument', 'transactionModel', 'expected the result of fitBGNBD or fitParetoNBD');
      }
      if (!spendModel || typeof spendModel.p !== 'number') {
        throw new StagelineError('invalid_argument', 'spendModel', 'expected the result of fitGammaGamma');
      }
      if (!Number.isInteger(months) || months < 0) throw new StagelineError('invalid_argument', 'months', 'expected a whole number >= 0');
      const modelParams = model.model === 'bgnbd' ? [model.r, model.alpha, model.a, model.b] : [model.r, model.alpha, model.s, model.beta];
      return perCustomer([frequency, recency, T, monetary], ['frequency', 'recency', 'T', 'monetary'], ([x, tx, age, m]) =>
        unwrap(
          module.btydCustomerLifetimeValue(model.model, Float64Array.from(modelParams), Float64Array.of(spendModel.p, spendModel.q, spendModel.v),
            x, tx, age, m, months, Number(discountRate), period(unit)),
        ),
      );
    },

    /**
     * lifetimes' summary over typed transaction columns (what dataset.summary() calls):
     * customerCodes index customerIds; times in epoch ms. With calibrationEnd, the calibration
     * columns plus frequencyHoldout, monetaryHoldout and durationHoldout.
     */
    summarizeTransactions(customerCodes, customerIds, timestampsMs, amounts, options = {}) {
      const codes = customerCodes instanceof Uint32Array ? customerCodes : Uint32Array.from(customerCodes);
      const { unit, observationEnd, calibrationEnd } = summaryOptions(options);
      const raw = unwrap(
        module.btydSummarize(codes, customerIds.length, toFloat64(timestampsMs, 'timestamps'),
          amounts === null || amounts === undefined ? null : toFloat64(amounts, 'amounts'), unit, observationEnd, calibrationEnd),
      );
      return summaryResult(raw, Array.from(raw.customer, (code) => customerIds[code]));
    },
  };
}
