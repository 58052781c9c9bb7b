/**
 * The page side of the fit worker (src/workers/fitWorker.ts, bundled by src/workers/fit.js.ts): starts the
 * worker as a module Worker from its file attachment, sends requests, shows the worker's progress in a
 * StatusIndicator and resolves each request with the worker's answer.
 *
 * One client per cell run: pass the cell's `invalidation` promise and the worker is terminated when the cell
 * re-runs (a new input), which cancels a fit still in progress. Requests of a terminated client never settle
 * (the cells waiting for them are being replaced anyway).
 */
import {FileAttachment} from "observablehq:stdlib";
import {failed} from "../workers/protocol.js";
import type {
  BootstrapRequest,
  BootstrapResponse,
  ClvResponse,
  ClvSettings,
  FitResponse,
  FittedModels,
  LearnedRequest,
  LearnedResponse,
  SummaryArrays,
  TransactionModelName,
  ValidateRequest,
  ValidateResponse,
  WorkerRequest,
  WorkerResponse
} from "../workers/protocol.js";
import {StatusIndicator, type StatusIndicatorElement} from "./statusIndicator.js";
import {BootstrapStatus, type BootstrapStatusElement} from "./bootstrapStatus.js";
import {modelLabel} from "../lib/models/index.js";
import {fmt} from "./settings.js";
import {packLearned, packedBuffers, validateMessage} from "../lib/clv/packedProfiles.js";

export type {BootstrapResponse, ClvResponse, FitResponse, LearnedResponse, SummaryArrays, TransactionModelName, ValidateResponse};

const WORKER = FileAttachment("../workers/fit.js");


const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;

type Pending = {
  resolve: (value: WorkerResponse) => void;
  reject: (error: Error) => void;
  done: (response: WorkerResponse) => string;
  /** A request with its own status (the bootstrap's progress bar) rather than the fit's status line. */
  own?: BootstrapStatusElement;
};

export class FitClient {
  /** Shows what the worker is doing; put it where the results will appear. */
  readonly status: StatusIndicatorElement;
  private worker: Promise<Worker> | null = null;
  private terminated = false;
  private nextId = 1;
  private pending = new Map<number, Pending>();
  /** What the last fit did, kept in the status while CLV is recomputed for other settings. */
  private fitNote = "";
  /** A fit made at build time, sent with the next CLV request (the worker has not fitted anything). */
  private built: {fitted: FittedModels; settings: ClvSettings; fit: FitResponse} | null = null;

  constructor(invalidation?: Promise<unknown>, message = "Starting the model worker…") {
    this.status = StatusIndicator(message);
    invalidation?.then(() => this.terminate());
  }

  /**
   * Fits the transaction model and Gamma-Gamma on the summaries and predicts each customer's CLV. Each fit is
   * reported on its own: a fit that throws comes back as {error} while the other's results are kept.
   */
  fit(
    summaries: SummaryArrays,
    {model, holdoutWeeks = 0, penalizer = 0, ...settings}: ClvSettings & {model: TransactionModelName; holdoutWeeks?: number; penalizer?: number}
  ): Promise<FitResponse> {
    const n = fmt.integer(summaries.frequency.length);
    this.built = null;
    return this.request({type: "fit", id: 0, model, summaries, holdoutWeeks, penalizer, ...settings}, `Fitting ${modelLabel(model)} on ${n} customers…`, (r) => {
      const fit = r as FitResponse;
      const problem = [fit.transaction, fit.spend].some((f) => failed(f) || !f.converged || !f.identified);
      const penalty = penalizer > 0 ? ` with penalizer ${penalizer}` : "";
      this.fitNote = `${modelLabel(model)} and Gamma-Gamma fitted${penalty} on ${n} customers in ${seconds(fit.ms)} in a background worker${problem ? " (see the message below)" : ""}.`;
      return this.fitNote;
    }) as Promise<FitResponse>;
  }

  /**
   * The fit the build made with these settings (src/lib/clv/derived.ts), shown at once: no worker starts
   * until CLV is asked for other settings.
   */
  fromBuild({fit, fitted, settings, where = "when the site was built"}: {fit: FitResponse; fitted: FittedModels; settings: ClvSettings; where?: string}): FitResponse {
    this.built = {fit, fitted, settings};
    const n = fmt.integer(fitted.summaries.frequency.length);
    const problem = [fit.transaction, fit.spend].some((f) => failed(f) || !f.converged || !f.identified);
    this.fitNote = `${modelLabel(fit.model)} and Gamma-Gamma fitted on ${n} customers ${where}${problem ? " (see the message below)" : ""}; a change of model, penalizer or data refits in a background worker.`;
    this.status.done(this.fitNote);
    return fit;
  }

  /** CLV for other settings from the last fit (no refit). */
  clv(settings: ClvSettings): Promise<ClvResponse> {
    const built = this.built;
    if (built && settings.horizonMonths === built.settings.horizonMonths && settings.discountRate === built.settings.discountRate) {
      return Promise.resolve({type: "clv", id: 0, clv: built.fit.clv, expectedPurchases: built.fit.expectedPurchases, unavailable: built.fit.unavailable ?? null, ms: 0});
    }
    return this.request({type: "clv", id: 0, ...settings, ...(built ? {fitted: built.fitted} : {})}, "Recomputing CLV…", (r) => `${this.fitNote} CLV for these settings in ${seconds((r as ClvResponse).ms)}.`.trim()) as Promise<ClvResponse>;
  }

  /**
   * Fits and scores every model on a holdout split (see ValidateRequest). With `transfer` the request's typed
   * arrays move to the worker rather than being copied: they are empty here afterwards (for a caller that
   * made them for this request only).
   */
  validate(request: Omit<ValidateRequest, "type" | "id">, {transfer = false}: {transfer?: boolean} = {}): Promise<ValidateResponse> {
    // The learned customers' profiles cross as columns (packedProfiles.ts), made for the message: they move.
    const message = validateMessage(request, {transfer});
    return this.request({type: "validate", id: 0, ...message.request}, "Fitting the models…", (r) => {
      const total = Object.values((r as ValidateResponse).timings).reduce((a, b) => a + b, 0);
      const problem = Object.values((r as ValidateResponse).fits).some((f) => failed(f) || !f.converged || !f.identified);
      return `Four models fitted and scored in ${seconds(total)} in a background worker${problem ? " (see the message below)" : ""}.`;
    }, message.transfer) as Promise<ValidateResponse>;
  }

  /**
   * Bootstrap intervals of the last fit, or of `request.fitted` (see BootstrapRequest), with a progress bar in
   * `status`. When `invalidation` settles (the cell re-runs on an input change) the worker is asked to stop the
   * refits and the promise never settles.
   */
  bootstrap(
    request: Omit<BootstrapRequest, "type" | "id">,
    {status = BootstrapStatus(), invalidation}: {status?: BootstrapStatusElement; invalidation?: Promise<unknown>} = {}
  ): {status: BootstrapStatusElement; result: Promise<BootstrapResponse>} {
    const id = this.nextId++;
    const fitted = request.fitted ?? this.built?.fitted;
    status.progress(`Refitting on resampled customers: 0 of ${fmt.integer(request.replicates)}…`, 0, request.replicates);
    const result = new Promise<BootstrapResponse>((resolve, reject) => {
      if (this.terminated) return;
      const done = (r: WorkerResponse) => {
        const b = r as BootstrapResponse;
        const failedNote = b.failed ? `; ${fmt.integer(b.failed)} left out (a refit did not converge)` : "";
        return `Intervals from ${fmt.integer(b.figures.length)} refits on customers resampled with replacement${failedNote}, ${b.reused ? "kept from before" : `in ${seconds(b.ms)}`}.`;
      };
      this.pending.set(id, {resolve: resolve as Pending["resolve"], reject, done, own: status});
      this.start().then(
        (worker) => worker.postMessage({...request, type: "bootstrap", id, ...(fitted ? {fitted} : {})} satisfies BootstrapRequest),
        (error) => this.failAll(`the model worker could not be loaded: ${error instanceof Error ? error.message : error}`)
      );
    });
    invalidation?.then(() => {
      if (!this.pending.delete(id)) return;
      this.worker?.then((worker) => worker.postMessage({type: "cancel", id}), () => {});
    });
    return {status, result};
  }

  /** Trains the learned CLV model on the calibration period and predicts each customer (see LearnedRequest). */
  learned(request: Omit<LearnedRequest, "type" | "id">): Promise<LearnedResponse> {
    const n = fmt.integer(request.training.summaries.frequency.length);
    // The profiles cross as columns made for the message (packedProfiles.ts): they move.
    const training = packLearned(request.training), customers = packLearned(request.customers);
    const message: LearnedRequest = {type: "learned", id: 0, ...request, training, customers};
    return this.request(message, `Training the learned model on ${n} customers…`, (r) => {
      const learned = r as LearnedResponse;
      return `Learned model (random forest, ${learned.features.length} features) trained on ${n} customers in ${seconds(learned.ms)} in a background worker.`;
    }, [...packedBuffers(training.profiles), ...packedBuffers(customers.profiles)]) as Promise<LearnedResponse>;
  }

  /** Stops the worker (and any fit in progress). */
  terminate(): void {
    this.terminated = true;
    this.pending.clear();
    this.worker?.then((worker) => worker.terminate(), () => {});
  }

  private start(): Promise<Worker> {
    return (this.worker ??= WORKER.url().then((url) => {
      const worker = new Worker(url, {type: "module"});
      worker.onmessage = (event: MessageEvent<WorkerResponse>) => this.receive(event.data);
      worker.onerror = (event) => {
        event.preventDefault();
        this.failAll(`the model worker failed: ${event.message || "it could not be started"}`);
      };
      worker.onmessageerror = () => this.failAll("the model worker sent a message that could not be read");
      if (this.terminated) worker.terminate();
      return worker;
    }));
  }

  private request(message: WorkerRequest, running: string, done: Pending["done"], transfer: Transferable[] = []): Promise<WorkerResponse> {
    const id = this.nextId++;
    this.status.running(running);
    return new Promise<WorkerResponse>((resolve, reject) => {
      if (this.terminated) return;
      this.pending.set(id, {resolve, reject, done});
      this.start().then(
        (worker) => {
          try {
            worker.postMessage({...message, id}, transfer);
          } catch (error) {
            // A message that cannot be sent (a DataCloneError): the request fails now rather than waiting out its limit.
            this.failAll(`the request could not be sent to the model worker: ${error instanceof Error ? error.message : error}`);
          }
        },
        (error) => this.failAll(`the model worker could not be loaded: ${error instanceof Error ? error.message : error}`)
      );
    });
  }

  private receive(response: WorkerResponse): void {
    const pending = this.pending.get(response.id);
    if (!pending || this.terminated) return;
    if (response.type === "progress") {
      if (pending.own) pending.own.progress(response.message, response.done, response.total);
      else this.status.running(response.message);
      return;
    }
    this.pending.delete(response.id);
    if (pending.own) {
      if (response.type === "error") {
        pending.own.failed(`The intervals could not be computed: ${response.message}`);
        pending.reject(new Error(response.message));
      } else {
        pending.own.done(pending.done(response));
        pending.resolve(response);
      }
      return;
    }
    if (response.type === "error") {
      this.status.failed(`The model could not be fitted: ${response.message}`);
      pending.reject(new Error(response.message));
    } else {
      if ([...this.pending.values()].every((p) => p.own)) this.status.done(pending.done(response));
      pending.resolve(response);
    }
  }

  private failAll(message: string): void {
    this.status.failed(message);
    for (const {reject, own} of this.pending.values()) {
      own?.failed(message);
      reject(new Error(message));
    }
    this.pending.clear();
  }
}
