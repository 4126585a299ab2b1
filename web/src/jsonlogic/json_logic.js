// JsonLogic (jsonlogic.com) rules with json-logic-js 2.0.5's results, computed by the C++ core
// (wasm/jsonlogic/json_logic_bindings.cpp).

import { unwrap } from '../common/errors.js';
import { toJsonText } from '../common/json_text.js';

/** The JsonLogic functions of one module instance. */
export function createJsonLogicApi(module) {
  return {
    /**
     * jsonLogic.apply(rule, data). The result may be undefined, NaN, Infinity or -0 where the
     * reference gives them; errors (unknown operators, ...) throw a StagelineError with the path.
     */
    applyJsonLogic(rule, data) {
      const ruleText = toJsonText(rule, 'rule');
      const hasData = data !== undefined;
      return unwrap(module.applyJsonLogic(ruleText, hasData ? toJsonText(data, 'data') : '', hasData));
    },
  };
}
