/**
 * Data loader: the demo generator's true parameters (BG/NBD and Gamma-Gamma, time in weeks and the other
 * units) and its settings, as JSON, so pages and tests can check how well a fit recovers them.
 */
import {DEMO_DEFAULTS, DEMO_TRUE_PARAMS, demoTrueParams} from "../lib/data/demo.js";
import {MONTH_WEIGHTS, PARTNER_ZIPF_EXPONENT, SPLIT_PROBABILITY, WEEKDAY_WEIGHTS} from "../lib/data/demo-catalogue.js";
import {resolveSource} from "./source.js";

function load() {
  return {
    /** "file" when the site ships the user's own data: then these parameters describe nothing in it. */
    source: resolveSource().kind,
    params: DEMO_TRUE_PARAMS,
    byUnit: {week: demoTrueParams("week"), day: demoTrueParams("day"), month: demoTrueParams("month")},
    settings: {
      ...DEMO_DEFAULTS,
      calibrationEnd: DEMO_DEFAULTS.arrivalEnd,
      splitProbability: SPLIT_PROBABILITY,
      partnerZipfExponent: PARTNER_ZIPF_EXPONENT,
      weekdayWeights: WEEKDAY_WEIGHTS,
      monthWeights: MONTH_WEIGHTS
    }
  };
}

try {
  process.stdout.write(JSON.stringify(load(), null, 2) + "\n");
} catch (error) {
  process.stderr.write(`demo-params.json: ${error instanceof Error ? error.stack ?? error.message : error}\n`);
  process.exit(1);
}
