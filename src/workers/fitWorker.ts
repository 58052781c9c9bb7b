/**
 * The fit worker: model fitting off the page's main thread. It receives per-customer summaries as typed
 * arrays (see protocol.ts), fits with src/lib, posts progress messages between steps and then the result,
 * transferring its Float64Array buffers. It keeps the last fit so that CLV can be recomputed for other
 * settings without refitting. Bundled for the browser by the data loader fit.js.ts.
 */
import {fitClv, type FittedModels} from "../lib/clv/fitClv.js";
import {clvArrays} from "../lib/clv/value.js";
import {BootstrapCancelled, clvReplicates, type ClvReplicate} from "../lib/fit/bootstrap.js";
import {RefitFigures, type ReplicateFigure} from "../lib/clv/replicates.js";
import {learnedClv} from "../lib/clv/learnedClv.js";
import {validateModels} from "../lib/clv/validateModels.js";
import type {BootstrapRequest, ClvRequest, FitRequest, LearnedRequest, ValidateRequest, WorkerRequest, WorkerResponse} from "./protocol.js";

interface WorkerScope {
  postMessage(message: WorkerResponse, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null;
}
const scope = self as unknown as WorkerScope;

const count = (n: number) => n.toLocaleString("en");

/** The last fit, for "clv" requests (null parameters: that fit failed). */
let last: FittedModels | null = null;

function timed<T>(f: () => T): [T, number] {
  const start = performance.now();
  const value = f();
  return [value, Math.round(performance.now() - start)];
}

function buffers(...arrays: (Float64Array | null)[]): ArrayBuffer[] {
  return arrays.filter((a): a is Float64Array => a !== null).map((a) => a.buffer as ArrayBuffer);
}

function fit(request: FitRequest): void {
  const {id, model, summaries, holdoutWeeks = 0, penalizer = 0, horizonMonths, discountRate} = request;
  const progress = (message: string) => scope.postMessage({type: "progress", id, message});
  const {result, fitted} = fitClv(summaries, {model, holdoutWeeks, penalizer, horizonMonths, discountRate, progress});
  last = fitted;
  scope.postMessage({type: "fit", id, ...result}, buffers(result.clv, result.expectedPurchases, result.probabilityAlive, result.expectedSpend, result.expectedHoldout));
}

function recomputeClv(request: ClvRequest): void {
  if (request.fitted) last = request.fitted;
  if (!last) throw new Error("no model has been fitted yet");
  const fitted = last;
  const [clv, ms] = timed(() => clvArrays(fitted, request));
  scope.postMessage({type: "clv", id: request.id, clv: clv.clv, expectedPurchases: clv.expectedPurchases, unavailable: clv.unavailable, ms}, buffers(clv.clv, clv.expectedPurchases));
}

function validate(request: ValidateRequest): void {
  const {id} = request;
  const result = validateModels(request, {progress: (message) => scope.postMessage({type: "progress", id, message})});
  scope.postMessage({type: "validate", id, ...result});
}

/** The refits of the last bootstrap, for the fit they were made from. */
let refits: {key: string; fits: (ClvReplicate | null)[]} | null = null;
/** Ids of bootstrap requests asked to stop. */
const cancelled = new Set<number>();

/** At most this many per-row values are kept for per-customer intervals (Float32: 128 MB). */
const PER_CUSTOMER_VALUES = 2 ** 25;

/** Gives way to the messages waiting (a cancel, a CLV request) between two refits. */
const pause = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

async function bootstrap(request: BootstrapRequest): Promise<void> {
  const {id, replicates, seed, penalizer = 0, margins, groupings, horizonMonths, discountRate, levels = [], holdoutWeeks = 0} = request;
  if (request.fitted) last = request.fitted;
  if (!last) throw new Error("no model has been fitted yet");
  const fitted = last;
  if (!fitted.params || !fitted.spend) throw new Error("the intervals need both fits, and one of them failed");
  const started = performance.now();
  // The fit arrives again (a copy) with each request that carries the build's fit: compare what it is.
  const key = JSON.stringify({replicates, seed, penalizer, model: fitted.model, params: fitted.params, spend: fitted.spend, customers: fitted.summaries.frequency.length});
  const progress = (message: string, done: number, total: number) => scope.postMessage({type: "progress", id, message, done, total});
  const reused = refits !== null && refits.key === key;
  if (!reused) {
    refits = null;
    const fits: (ClvReplicate | null)[] = [];
    const estimate = {transaction: {model: fitted.model, params: fitted.params} as ClvReplicate["transaction"], spend: fitted.spend};
    const steps = clvReplicates(fitted.summaries, estimate, {replicates, seed, penalizer, cancelled: () => cancelled.has(id)});
    progress(`Refitting on resampled customers: 0 of ${replicates}…`, 0, replicates);
    for (const fit of steps) {
      fits.push(fit);
      progress(`Refitting on resampled customers: ${fits.length} of ${replicates}…`, fits.length, replicates);
      await pause();
      if (cancelled.has(id)) throw new BootstrapCancelled();
    }
    refits = {key, fits};
  }
  // The figures per distinct row (clv/replicates.ts): the customers are compressed once for all refits.
  const fits = refits!.fits;
  const converged = fits.filter((f): f is ClvReplicate => f !== null);
  const recompute = new RefitFigures(fitted.summaries, {horizonMonths, discountRate, holdoutLength: holdoutWeeks}, {
    margins,
    groupings,
    perCustomer: levels.length > 0 ? converged.length : 0,
    keepAlive: false,
    maxValues: PER_CUSTOMER_VALUES
  });
  const figures: ReplicateFigure[] = [];
  const kept: ClvReplicate[] = [];
  for (let b = 0; b < converged.length; b++) {
    const figure = recompute.add(converged[b]);
    if (figure) {
      figures.push(figure);
      kept.push(converged[b]);
    }
    if (b % 10 === 9) {
      progress(`Predicting the customers again for each refit: ${b + 1} of ${converged.length}…`, b + 1, converged.length);
      await pause();
      if (cancelled.has(id)) throw new BootstrapCancelled();
    }
  }
  const sets = levels.length > 0 && figures.length >= 2 ? recompute.customerIntervalSets(levels) : null;
  const customers = sets ? {levels, clv: sets.map((s) => s.clv), expectedPurchases: sets.map((s) => s.expectedPurchases)} : null;
  const customersProblem = levels.length === 0 ? null : recompute.perCustomerProblem ?? (sets ? null : `not available: ${figures.length} of ${replicates} refits converged with finite predictions, too few for an interval`);
  const transfer = customers ? [...customers.clv, ...customers.expectedPurchases].flatMap((c) => [c.low.buffer as ArrayBuffer, c.high.buffer as ArrayBuffer]) : [];
  scope.postMessage(
    {type: "bootstrap", id, requested: replicates, figures, fits: kept, customers, customersProblem, failed: replicates - figures.length, reused, ms: Math.round(performance.now() - started)},
    transfer
  );
}

function learned(request: LearnedRequest): void {
  const {id, actualSpend, seed = 42, horizonMonths, discountRate} = request;
  // The profiles arrive packed (packedProfiles.ts): the learned features read them in place.
  const {training, customers} = request;
  scope.postMessage({type: "progress", id, message: `Training the learned model on ${count(training.summaries.frequency.length)} customers…`});
  const onHoldout = actualSpend != null && actualSpend.length === customers.summaries.frequency.length;
  const [result, ms] = timed(() =>
    learnedClv(training, customers, {horizonMonths, discountRate, seed, importanceOn: onHoldout ? {target: actualSpend} : undefined})
  );
  const {windowSpend, windowWeeks, clv, features, importance, trainingCustomers, model} = result;
  scope.postMessage(
    {type: "learned", id, windowSpend, windowWeeks, clv, features, importance, importanceOn: onHoldout ? "holdout" : "training", trainingCustomers, model, ms},
    buffers(windowSpend, clv)
  );
}

scope.onmessage = (event) => {
  const request = event.data;
  if (request.type === "cancel") {
    cancelled.add(request.id);
    return;
  }
  if (request.type === "bootstrap") {
    bootstrap(request)
      .catch((error) => {
        if (!(error instanceof BootstrapCancelled)) scope.postMessage({type: "error", id: request.id, message: error instanceof Error ? error.message : String(error)});
      })
      .finally(() => cancelled.delete(request.id));
    return;
  }
  try {
    if (request.type === "fit") fit(request);
    else if (request.type === "clv") recomputeClv(request);
    else if (request.type === "validate") validate(request);
    else if (request.type === "learned") learned(request);
    else throw new Error(`unknown request ${JSON.stringify((request as {type: unknown}).type)}`);
  } catch (error) {
    scope.postMessage({type: "error", id: request.id, message: error instanceof Error ? error.message : String(error)});
  }
};
