/**
 * The model registry: every model the library can fit, by name. The fitting engine, the CLV computations, the
 * diagnostics, the fit worker, the pages and the CLI look models up here instead of naming them, so adding a
 * model is its own file (which exports a TransactionModelSpec, see spec.ts), one line below, and its tests.
 */
import {BG_BB} from "./bgbb.js";
import {BG_NBD, type BgNbdParams} from "./bgnbd.js";
import {MBG_NBD, type MbgNbdParams} from "./mbgnbd.js";
import {PARETO_NBD, type ParetoNbdParams} from "./paretonbd.js";
import type {TransactionModelSpec} from "./spec.js";

/** The transaction models, by registry name. */
export const TRANSACTION_MODELS = {
  bgnbd: BG_NBD,
  paretonbd: PARETO_NBD,
  mbgnbd: MBG_NBD
} as const;

export type TransactionModelName = keyof typeof TRANSACTION_MODELS;

/** The parameters of each transaction model, by name. */
export interface TransactionParamsByModel {
  bgnbd: BgNbdParams;
  paretonbd: ParetoNbdParams;
  mbgnbd: MbgNbdParams;
}
export type TransactionParams = TransactionParamsByModel[TransactionModelName];

/** A fitted transaction model: its name and parameters. */
export type TransactionModel = {[K in TransactionModelName]: {model: K; params: TransactionParamsByModel[K]}}[TransactionModelName];

/**
 * Models of discrete-time opportunities (BG/BB): their summaries count opportunities (a yearly appeal, an
 * event), not time since the first purchase, so the pages and `clv predict`, which work in time units, do not
 * list them; `clv fit --model bgbb --summary FILE` fits them.
 */
export const DISCRETE_MODELS = {
  bgbb: BG_BB
} as const;

/** The registry's names, in the order the pages list them. */
export const TRANSACTION_MODEL_NAMES = Object.keys(TRANSACTION_MODELS) as TransactionModelName[];

/** The model called `name` (a registry name); throws naming the ones there are. */
export function transactionModel(name: string): TransactionModelSpec<TransactionParams> {
  const model = (TRANSACTION_MODELS as Record<string, TransactionModelSpec>)[name];
  if (!model) throw new Error(`model must be one of ${TRANSACTION_MODEL_NAMES.join(", ")}, got ${JSON.stringify(name)}`);
  return model as TransactionModelSpec<TransactionParams>;
}

/** The model whose command-line name is `cliName` (`pareto-nbd`), or undefined. */
export function transactionModelByCliName(cliName: string): TransactionModelSpec<TransactionParams> | undefined {
  return TRANSACTION_MODEL_NAMES.map(transactionModel).find((model) => model.cliName === cliName);
}

/** The display label of a registry name ("BG/NBD"). */
export function modelLabel(name: TransactionModelName): string {
  return TRANSACTION_MODELS[name].label;
}

/** The learned CLV model (src/lib/clv/learnedClv.ts): a random forest, not a transaction model. */
export const LEARNED_MODEL = "learned";

/** Every CLV model the site offers: the transaction models (with Gamma-Gamma) and the learned one. */
export type ClvModelName = TransactionModelName | typeof LEARNED_MODEL;

/** The models the CLV pages, the what-if form, the budget page and `clv predict` offer, in that order. */
export const CLV_MODEL_NAMES: readonly ClvModelName[] = [...TRANSACTION_MODEL_NAMES, LEARNED_MODEL];

/** True for a transaction model's name (narrows the type). */
export function isTransactionModel(name: string): name is TransactionModelName {
  return Object.hasOwn(TRANSACTION_MODELS, name);
}

/** The display label of any CLV model ("BG/NBD", "Learned (random forest)"). */
export function clvModelLabel(name: ClvModelName): string {
  return isTransactionModel(name) ? modelLabel(name) : "Learned (random forest)";
}
