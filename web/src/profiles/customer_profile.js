// One customer's profile on its own, over wasm/profiles/customer_profile_bindings.cpp: what the browser
// runtime keeps for its visitor. It is persisted as the JSON of profile() (its `state` member
// makes the restore exact) and merged when an anonymous visitor identifies.

import { StagelineError, unwrap } from '../common/errors.js';
import { live, OwnedHandle } from '../common/handle.js';
import { toJsonText } from '../common/json_text.js';
import { evaluationTime } from '../common/time.js';

/** A single customer's aggregates in the WASM heap. Holds C++ memory until dispose(). */
export class CustomerProfile extends OwnedHandle {
  constructor(handle) {
    super(handle, 'customer profile');
  }

  /** The customer id. */
  get customerId() {
    return this[live]().customerId();
  }

  /** Number of events the aggregates hold. */
  get eventCount() {
    return this[live]().events();
  }

  /**
   * Applies one event or an array of events ({type, timestamp, value?, properties?}; customerId
   * defaults to this profile's). All are validated before any is applied.
   */
  apply(events) {
    const customerId = this.customerId;
    const withId = (event) => (event !== null && typeof event === 'object' && event.customerId === undefined
      ? { customerId, ...event } : event);
    unwrap(this[live]().apply(toJsonText(Array.isArray(events) ? events.map(withId) : withId(events), 'events')));
    return this;
  }

  /** The profile as a plain object at `at` (default now), with the `state` restoreProfile needs. */
  profile(at) {
    return JSON.parse(unwrap(this[live]().profile(evaluationTime(at))));
  }

  /**
   * Folds another profile's aggregates into this one, keeping this customer id (see the core's
   * Profile::merge for the three fields that differ from replaying both streams).
   */
  merge(other) {
    if (!(other instanceof CustomerProfile)) {
      throw new StagelineError('invalid_argument', '', 'expected a profile from sl.customerProfile() or sl.restoreProfile()');
    }
    unwrap(this[live]().merge(other[live]()));
    return this;
  }
}

/** The customer-profile functions of one module instance. */
export function createCustomerProfileApi(module) {
  const traitsText = (traitsConfig) => (traitsConfig === undefined || traitsConfig === null ? '' : toJsonText(traitsConfig, 'traits'));

  /** sl.customerProfile(customerId, traitsConfig?): an empty profile. */
  function customerProfile(customerId, traitsConfig) {
    return new CustomerProfile(unwrap(module.createCustomerProfile(String(customerId ?? ''), traitsText(traitsConfig))));
  }

  /** sl.restoreProfile(profileJson, traitsConfig?): a profile from what profile() returned (object or text). */
  function restoreProfile(profile, traitsConfig) {
    const text = typeof profile === 'string' ? profile : toJsonText(profile, 'profile');
    return new CustomerProfile(unwrap(module.restoreCustomerProfile(text, traitsText(traitsConfig))));
  }

  return { customerProfile, restoreProfile };
}
