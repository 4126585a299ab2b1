// GrowthBook's experiment-bucketing helpers, under GrowthBook's names and signatures, so that a
// user lands in the same variation in Stageline and in GrowthBook. Computed by the C++ core
// (wasm/bucketing/bucketing_bindings.cpp); hashing runs over UTF-16 code units like JavaScript strings.

import { StagelineError } from '../common/errors.js';

function integer(value, name) {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new StagelineError('invalid_argument', name, 'expected a finite number');
  }
  return Math.trunc(value);
}

function pairs(flat) {
  const out = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i], flat[i + 1]]);
  return out;
}

/** The bucketing functions of one module instance. */
export function createBucketingApi(module) {
  return {
    /** FNV-1a based hash in [0, 1) (version 1 or 2), or null for another version. */
    hash: (seed, value, version) => module.hash(String(seed), String(value), Number(version)),
    /** [[start, end], ...] per variation for a coverage in [0, 1] and optional weights. */
    getBucketRanges(numVariations, coverage, weights) {
      const hasCoverage = coverage !== undefined && coverage !== null;
      const flatWeights = weights === undefined || weights === null ? null : Float64Array.from(weights, Number);
      return pairs(module.getBucketRanges(integer(numVariations, 'numVariations'), hasCoverage, hasCoverage ? Number(coverage) : 1, flatWeights));
    },
    /** The index of the range containing n, or -1. */
    chooseVariation: (n, ranges) => module.chooseVariation(Number(n), Float64Array.from(ranges.flat(), Number)),
    /** True if the hash of hashValue falls into the namespace slice [id, start, end]. */
    inNamespace: (hashValue, [id, start, end]) => module.inNamespace(String(hashValue), String(id), Number(start), Number(end)),
    /** n equal weights summing to 1 ([] for n < 1). */
    getEqualWeights: (n) => Array.from(module.getEqualWeights(integer(n, 'n'))),
    /** The variation forced by `?<key>=<n>` in the URL, or null. */
    getQueryStringOverride: (key, url, numVariations) =>
      module.getQueryStringOverride(String(key), String(url), integer(numVariations, 'numVariations')),
  };
}
