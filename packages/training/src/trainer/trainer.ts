// The training loop. One update = `gradientAccumulationSteps` micro-batches: forward in training
// mode with a dropout seed derived from (seed, step, micro-batch), gradients summed and averaged,
// NaN/Inf check, clipping by global norm, one optimizer update at the schedule's rate. Then, as
// due: an event, an evaluation (and early stopping), a checkpoint. Checkpoints also at the end and
// when stop() is called or SIGINT/SIGTERM arrives (Node).
//
// Determinism: the Trainer draws no random numbers of its own; with the same seed, data, model
// and backend every update is the same, and a run resumed from a checkpoint continues exactly as
// the uninterrupted run (weights, optimizer tensors, step, data position and early-stopping state
// are all in the checkpoint).
import { deriveSeed, loadStateDict } from '@albert-ts/core';
import * as tf from '@tensorflow/tfjs-core';
import {
  CONFIG_FILE,
  DATA_STATE_FILE,
  jsonFile,
  MODEL_FILE,
  modelFilesFromParameters,
  OPTIMIZER_FILE,
  optimizerFile,
  optimizerStateTensors,
  RNG_STATE_FILE,
  readCheckpoint,
  type StoredCheckpoint,
  TRAINER_STATE_FILE,
} from '../checkpoint/checkpoint-files.js';
import { checkpointName, checkpointStep } from '../checkpoint/names.js';
import type { CheckpointStorage } from '../checkpoint/storage.js';
import type { DataSourceFactory, ResumableSource } from '../data/data-source.js';
import { NonFiniteLossError, TrainingCheckpointError, TrainingError } from '../errors.js';
import type { LearningRateSchedule, Optimizer } from '../optim/optimizer.js';
import { clipGradNorm, globalNorm } from './clip-grad-norm.js';
import { defaultCountTokens } from './count-tokens.js';
import { checkEarlyStopping, type EarlyStoppingOptions, earlyStoppingUpdate } from './early-stopping.js';
import { type CheckpointReason, Emitter, type StopReason, type TrainerEvents } from './events.js';
import { lossAndGrads } from './loss-and-grads.js';
import type { ModelConfig, ModelForwardOptions, ModelInputs, TrainableModel } from './model.js';
import { onStopSignal } from './signals.js';
import { type EvaluationRecord, freshTrainerState, rngState, type TrainerState } from './trainer-state.js';
import { yieldToEventLoop } from './yield.js';

export interface CheckpointOptions {
  storage: CheckpointStorage;
  /** Write one every N updates (default: only at the end and on stop). */
  every?: number;
  /** Keep the newest K checkpoints, deleting older ones (default 3; Infinity keeps all). */
  keep?: number;
  /** Files added to every checkpoint, e.g. { 'spiece.model': bytes } so the folder has its tokenizer. */
  files?: ReadonlyMap<string, Uint8Array> | Record<string, Uint8Array>;
  /** config.json "architectures" (default: the model's class name, e.g. AlbertForPreTraining). */
  architecture?: string;
  /** A fresh (not resumed) run over storage that holds checkpoints deletes them (default: an error). */
  overwrite?: boolean;
}

export interface EvaluationOptions<M> {
  /** Evaluate after every N updates. */
  every: number;
  /** The user's metrics by name (e.g. { loss, accuracy }); runs the model as it likes (training off). */
  evaluate: (model: M, step: number) => Promise<Record<string, number>> | Record<string, number>;
}

export interface TrainerOptions<M extends TrainableModel, B> {
  model: M;
  optimizer: Optimizer;
  /** A constant rate or a schedule (rate at the 0-based update index). */
  learningRate: number | LearningRateSchedule;
  /** A resumable source (checkpoints resume the data exactly), or any async iterable (not resumable). */
  // biome-ignore lint/suspicious/noExplicitAny: each source has its own state type and checks what it is given.
  data: DataSourceFactory<B, any> | AsyncIterable<B>;
  /** Tensors for forward from one batch (labels included); the Trainer disposes them after the step. */
  toInputs: (batch: B) => ModelInputs<M>;
  /** Passed to every forward besides { training: true, seed }, e.g. { mlmPositions: 'masked' }. */
  forwardOptions?: ModelForwardOptions<M>;
  /** Stop after this many updates (default: when the data ends). */
  maxSteps?: number;
  /** Micro-batches per update (default 1); their gradients are averaged. */
  gradientAccumulationSteps?: number;
  /** Clip gradients to this global L2 norm (default 1.0, as Hugging Face and ALBERT); null: no clipping. */
  maxGradNorm?: number | null;
  /** Seed of the dropout masks (default 42). */
  seed?: number;
  /** Parameters not trained: exact names or patterns; each must match at least one parameter. */
  freeze?: (string | RegExp)[];
  /** Tokens in a batch, for tokens/s (default: attentionMask non-zeros, else inputIds length). */
  countTokens?: (batch: B) => number;
  evaluation?: EvaluationOptions<M>;
  /** Needs `evaluation`. */
  earlyStopping?: EarlyStoppingOptions;
  checkpoints?: CheckpointOptions;
  /** Node: SIGINT/SIGTERM stop training with a checkpoint (default true when checkpoints are set). */
  handleSignals?: boolean;
  /** Record every N-th update's loss in trainer_state.json (default 10). */
  logEvery?: number;
}

export type TrainResult = {
  /** Updates done in total (over resumed sessions). */
  step: number;
  reason: StopReason;
  /** Loss of the last update of this session, null if there was none. */
  loss: number | null;
  /** The newest checkpoint, null without checkpoints. */
  lastCheckpoint: string | null;
  evaluations: EvaluationRecord[];
  bestMetric: number | null;
  bestStep: number | null;
};

export interface TrainOptions {
  /** Continue from the newest checkpoint (true / 'latest') or from the named one. */
  resume?: boolean | 'latest' | string;
}

type Micro = { loss: tf.Scalar; grads: Map<string, tf.Tensor>; count: number; tokens: number };

export class Trainer<M extends TrainableModel, B> extends Emitter<TrainerEvents> {
  readonly model: M;
  private readonly options: TrainerOptions<M, B>;
  private readonly seed: number;
  private readonly accumulation: number;
  private readonly maxGradNorm: number | null;
  private readonly schedule: LearningRateSchedule;
  /** Trained variables by HF name (each distinct variable once, frozen ones left out). */
  private readonly trainable: Map<string, tf.Variable>;
  private readonly hfNameOf = new Map<string, string>();
  private stateValue: TrainerState;
  private stopRequested: string | null = null;
  private started = false;
  private lastCheckpoint: string | null = null;

  constructor(options: TrainerOptions<M, B>) {
    super();
    this.options = options;
    this.model = options.model;
    this.seed = options.seed ?? 42;
    this.accumulation = options.gradientAccumulationSteps ?? 1;
    this.maxGradNorm = options.maxGradNorm === undefined ? 1.0 : options.maxGradNorm;
    checkOptions(options, this.accumulation, this.maxGradNorm);
    this.schedule = scheduleOf(options.learningRate, options.maxSteps);
    this.trainable = trainableParameters(options.model.namedParameters(), options.freeze ?? []);
    for (const [name, v] of this.trainable) this.hfNameOf.set(v.name, name);
    this.stateValue = freshTrainerState({
      maxSteps: options.maxSteps ?? null,
      seed: this.seed,
      gradientAccumulationSteps: this.accumulation,
      maxGradNorm: this.maxGradNorm,
    });
  }

  /** Updates done so far. */
  get step(): number {
    return this.stateValue.globalStep;
  }

  /** A copy of the state trainer_state.json holds. */
  get state(): TrainerState {
    return structuredClone(this.stateValue);
  }

  /** Asks train() to stop after the current update, write a checkpoint and return ('stopped'). */
  stop(): void {
    this.stopRequested ??= 'stop()';
  }

  /** Trains until maxSteps, the end of the data, early stopping or stop(). Call once per Trainer. */
  async train(trainOptions: TrainOptions = {}): Promise<TrainResult> {
    if (this.started)
      throw new TrainingError('Trainer.train() was already called; create a new Trainer to train again.');
    this.started = true;
    const { checkpoints } = this.options;
    let dataState: unknown;
    if (trainOptions.resume != null && trainOptions.resume !== false) {
      dataState = await this.restore(trainOptions.resume);
    } else if (checkpoints != null) {
      await this.clearForFreshRun(checkpoints);
    }
    const source = this.openData(dataState);
    const iterator = source.batches()[Symbol.asyncIterator]();
    const removeSignals =
      (this.options.handleSignals ?? checkpoints != null)
        ? onStopSignal((signal) => {
            this.stopRequested ??= signal;
          })
        : () => {};
    const session = { start: now(), steps: 0, tokens: 0, secondsBefore: this.stateValue.trainSeconds };
    let reason: StopReason | null = this.stateValue.dataExhausted ? 'data-exhausted' : null;
    let lastLoss: number | null = null;
    try {
      while (reason == null) {
        await yieldToEventLoop(); // lets a pending SIGINT/SIGTERM handler (or stop() from a UI) run
        if (this.stopRequested != null) {
          reason = 'stopped';
          break;
        }
        if (this.options.maxSteps != null && this.step >= this.options.maxSteps) {
          reason = 'max-steps';
          break;
        }
        const micro = await this.accumulate(iterator);
        if (micro == null) {
          this.stateValue.dataExhausted = true;
          reason = 'data-exhausted';
          break;
        }
        lastLoss = await this.update(micro, session);
        if (micro.count < this.accumulation) this.stateValue.dataExhausted = true;
        if (await this.evaluateIfDue()) reason = 'early-stopping';
        const every = checkpoints?.every;
        if (every != null && this.step % every === 0) await this.checkpoint('interval', source);
        if (this.stateValue.dataExhausted) reason = 'data-exhausted';
      }
      if (checkpoints != null && this.lastCheckpoint !== checkpointName(this.step)) {
        await this.checkpoint(reason === 'stopped' ? 'stop' : 'end', source);
      }
    } catch (err) {
      if (err instanceof NonFiniteLossError)
        this.emit('stop', { step: this.step, reason: 'non-finite', message: err.message });
      throw err;
    } finally {
      removeSignals();
      await iterator.return?.();
    }
    const message =
      reason === 'stopped'
        ? `Stopped by ${this.stopRequested} after step ${this.step}${this.lastCheckpoint ? `; resume from ${this.lastCheckpoint}` : ''}.`
        : `Training ended after step ${this.step}: ${reason}.`;
    this.emit('stop', { step: this.step, reason, message });
    return {
      step: this.step,
      reason,
      loss: lastLoss,
      lastCheckpoint: this.lastCheckpoint,
      evaluations: structuredClone(this.stateValue.evaluations),
      bestMetric: this.stateValue.bestMetric,
      bestStep: this.stateValue.bestStep,
    };
  }

  /** Forward + backward over the micro-batches of one update; null when the data has ended. */
  private async accumulate(iterator: AsyncIterator<B>): Promise<Micro | null> {
    const vars = [...this.trainable.values()];
    const countTokens = this.options.countTokens ?? defaultCountTokens;
    let acc: Micro | null = null;
    try {
      for (let k = 0; k < this.accumulation; k++) {
        const next = await iterator.next();
        if (next.done) break;
        const tokens = countTokens(next.value);
        const seed = deriveSeed(this.seed, `dropout/${this.step}/${k}`);
        const inputs = this.options.toInputs(next.value);
        let result: { value: tf.Scalar; grads: tf.NamedTensorMap };
        try {
          result = lossAndGrads(() => {
            const out = this.model.forward(inputs, { ...this.options.forwardOptions, training: true, seed });
            if (out.loss == null) {
              throw new TrainingError(
                'model.forward returned no loss: toInputs must give the labels the model needs (e.g. labels and sentenceOrderLabel).',
              );
            }
            return out.loss;
          }, vars);
        } finally {
          tf.dispose(inputs as tf.TensorContainer);
        }
        this.stateValue.batchesSeen++;
        const grads = new Map<string, tf.Tensor>();
        for (const [varName, g] of Object.entries(result.grads)) grads.set(this.hfNameOf.get(varName) as string, g);
        if (acc == null) {
          acc = { loss: result.value, grads, count: 1, tokens };
          continue;
        }
        const previous: Micro = acc;
        acc = {
          loss: tf.add(previous.loss, result.value),
          grads: sumGrads(previous.grads, grads),
          count: previous.count + 1,
          tokens: previous.tokens + tokens,
        };
        tf.dispose([previous.loss, result.value, ...previous.grads.values(), ...grads.values()]);
      }
    } catch (err) {
      if (acc != null) tf.dispose([acc.loss, ...acc.grads.values()]);
      throw err;
    }
    if (acc == null || acc.count === 1) return acc;
    const count = acc.count;
    const mean: Micro = {
      loss: tf.div(acc.loss, count),
      grads: new Map([...acc.grads].map(([n, g]) => [n, tf.div(g, count)])),
      count,
      tokens: acc.tokens,
    };
    tf.dispose([acc.loss, ...acc.grads.values()]);
    return mean;
  }

  /** NaN/Inf check, clipping, one optimizer update, the step event. Returns the loss. */
  private async update(
    micro: Micro,
    session: { start: number; steps: number; tokens: number; secondsBefore: number },
  ): Promise<number> {
    const state = this.stateValue;
    const step = state.globalStep + 1;
    let grads = micro.grads;
    let norm: tf.Scalar;
    if (this.maxGradNorm != null) {
      const clipped = clipGradNorm(grads, this.maxGradNorm);
      tf.dispose([...grads.values()]);
      grads = clipped.grads;
      norm = clipped.totalNorm;
    } else {
      norm = globalNorm(grads.values());
    }
    const [lossData, normData] = await Promise.all([micro.loss.data(), norm.data()]);
    tf.dispose([micro.loss, norm]);
    const loss = lossData[0] as number;
    const gradNorm = normData[0] as number;
    if (!Number.isFinite(loss) || !Number.isFinite(gradNorm)) {
      tf.dispose([...grads.values()]);
      const what = !Number.isFinite(loss) ? `the loss is ${loss}` : `the gradient norm is ${gradNorm}`;
      throw new NonFiniteLossError(
        `Training stopped at step ${step}: ${what}. The update was not applied; ` +
          (this.lastCheckpoint != null
            ? `the last good checkpoint is ${this.lastCheckpoint} in ${this.options.checkpoints?.storage.description}. `
            : 'no checkpoint was written before it. ') +
          'Lower the learning rate, clip gradients (maxGradNorm) or check the data of this step.',
        step,
        this.lastCheckpoint,
      );
    }
    const learningRate = this.schedule(state.globalStep);
    if (!(Number.isFinite(learningRate) && learningRate >= 0)) {
      tf.dispose([...grads.values()]);
      throw new TrainingError(
        `The learning-rate schedule gave ${learningRate} at step ${state.globalStep}; it must be a finite number >= 0.`,
      );
    }
    try {
      this.options.optimizer.applyGradients(this.trainable, grads, learningRate);
    } finally {
      tf.dispose([...grads.values()]);
    }
    state.globalStep = step;
    state.tokensSeen += micro.tokens;
    session.steps++;
    session.tokens += micro.tokens;
    const sessionSeconds = (now() - session.start) / 1000;
    state.trainSeconds = session.secondsBefore + sessionSeconds;
    if (step % (this.options.logEvery ?? 10) === 0) state.logHistory.push({ step, loss, learningRate, gradNorm });
    const maxSteps = this.options.maxSteps ?? null;
    this.emit('step', {
      step,
      maxSteps,
      loss,
      learningRate,
      gradNorm,
      tokens: micro.tokens,
      tokensSeen: state.tokensSeen,
      tokensPerSecond: sessionSeconds > 0 ? session.tokens / sessionSeconds : 0,
      elapsedSeconds: state.trainSeconds,
      etaSeconds: maxSteps == null ? null : ((maxSteps - step) * sessionSeconds) / session.steps,
    });
    return loss;
  }

  /** Runs the user's evaluation when due; true when early stopping says stop. */
  private async evaluateIfDue(): Promise<boolean> {
    const evaluation = this.options.evaluation;
    if (evaluation == null || this.step % evaluation.every !== 0) return false;
    const state = this.stateValue;
    const metrics = await evaluation.evaluate(this.model, this.step);
    for (const [name, value] of Object.entries(metrics ?? {})) {
      if (typeof value !== 'number') {
        throw new TrainingError(
          `evaluate() returned ${name} = ${JSON.stringify(value)} at step ${this.step}; metrics must be numbers.`,
        );
      }
    }
    state.evaluations.push({ step: this.step, metrics: { ...metrics } });
    let stop = false;
    const early = this.options.earlyStopping;
    if (early != null) {
      const next = earlyStoppingUpdate(early, state, metrics, this.step);
      state.bestMetric = next.bestMetric;
      state.bestStep = next.bestStep;
      state.evalsWithoutImprovement = next.evalsWithoutImprovement;
      stop = next.stop;
    }
    this.emit('evaluate', {
      step: this.step,
      metrics: { ...metrics },
      bestMetric: state.bestMetric,
      bestStep: state.bestStep,
      evalsWithoutImprovement: state.evalsWithoutImprovement,
    });
    return stop;
  }

  private async checkpoint(reason: CheckpointReason, source: ResumableSource<B> | null): Promise<void> {
    const options = this.options.checkpoints as CheckpointOptions;
    const { storage } = options;
    const name = checkpointName(this.step);
    this.emit('checkpointStart', { step: this.step, name, reason });
    const files = await this.modelFiles(options);
    const optimizerState = this.options.optimizer.getState();
    try {
      files.set(OPTIMIZER_FILE, optimizerFile(optimizerState));
    } finally {
      tf.dispose([...optimizerState.tensors.values()]);
    }
    files.set(TRAINER_STATE_FILE, jsonFile(this.stateValue));
    files.set(RNG_STATE_FILE, jsonFile(rngState(this.seed, this.step)));
    files.set(DATA_STATE_FILE, jsonFile(source?.getState() ?? null));
    const extra = options.files ?? {};
    for (const [file, bytes] of extra instanceof Map ? extra : Object.entries(extra)) files.set(file, bytes);
    await storage.write(name, files);
    this.lastCheckpoint = name;
    const keep = options.keep ?? 3;
    const older = (await storage.list())
      .filter((n) => checkpointStep(n) != null && n !== name)
      .sort((a, b) => (checkpointStep(a) as number) - (checkpointStep(b) as number));
    const removed = older.slice(0, Math.max(0, older.length - (keep - 1)));
    for (const n of removed) await storage.remove(n);
    this.emit('checkpoint', { step: this.step, name, reason, removed });
  }

  /** config.json + model.safetensors: the model's toFiles() when it has one, else from config and parameters. */
  private async modelFiles(options: CheckpointOptions): Promise<Map<string, Uint8Array>> {
    if (typeof this.model.toFiles === 'function') {
      const files = new Map(await this.model.toFiles());
      const absent = [CONFIG_FILE, MODEL_FILE].filter((f) => !files.has(f));
      if (absent.length > 0) {
        throw new TrainingError(
          `model.toFiles() gave no ${absent.join(' or ')}; a checkpoint must be a Hugging Face model folder.`,
        );
      }
      return files;
    }
    const config = this.model.config as ModelConfig; // checked in the constructor
    return modelFilesFromParameters(
      this.model.namedParameters(),
      config,
      options.architecture ?? this.model.constructor.name,
    );
  }

  /** Loads weights, optimizer and trainer state; returns the data state. */
  private async restore(resume: true | 'latest' | string): Promise<unknown> {
    const storage = this.options.checkpoints?.storage;
    if (storage == null) throw new TrainingError('resume needs checkpoints.storage (where the checkpoints are).');
    const names = (await storage.list()).filter((n) => checkpointStep(n) != null);
    names.sort((a, b) => (checkpointStep(a) as number) - (checkpointStep(b) as number));
    let name: string;
    if (resume === true || resume === 'latest') {
      if (names.length === 0) {
        throw new TrainingCheckpointError(
          `There is no checkpoint to resume from in ${storage.description}; start without resume.`,
        );
      }
      name = names.at(-1) as string;
    } else {
      if (!names.includes(resume)) {
        throw new TrainingCheckpointError(
          `${storage.description} has no checkpoint ${resume}; it has ${names.length === 0 ? 'none' : names.join(', ')}.`,
        );
      }
      name = resume;
    }
    const stored = await readCheckpoint(storage, name);
    this.checkResumable(stored);
    const params = this.model.namedParameters();
    const { missing } = loadStateDict(params, stored.model, { prefix: '' });
    if (missing.length > 0) {
      throw new TrainingCheckpointError(
        `Checkpoint ${name} has no weights for ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''}; it was saved from another model.`,
      );
    }
    for (const key of stored.optimizer.tensors.keys()) {
      const param = key.slice(0, key.lastIndexOf('/'));
      if (!this.trainable.has(param)) {
        throw new TrainingCheckpointError(
          `${OPTIMIZER_FILE} of checkpoint ${name} has state "${key}" for a parameter this model does not train ("${param}"); it was saved for another model or freeze list.`,
        );
      }
    }
    const optimizerState = optimizerStateTensors(stored.optimizer);
    try {
      this.options.optimizer.setState(optimizerState);
    } finally {
      tf.dispose([...optimizerState.tensors.values()]);
    }
    this.stateValue = { ...stored.trainerState, maxSteps: this.options.maxSteps ?? null };
    this.lastCheckpoint = name;
    return stored.dataState;
  }

  private checkResumable(stored: StoredCheckpoint): void {
    const saved = stored.trainerState;
    const differs = (
      [
        ['seed', saved.seed, this.seed],
        ['gradientAccumulationSteps', saved.gradientAccumulationSteps, this.accumulation],
        ['maxGradNorm', saved.maxGradNorm, this.maxGradNorm],
      ] as const
    ).filter(([, a, b]) => a !== b);
    if (differs.length > 0) {
      throw new TrainingCheckpointError(
        `Checkpoint ${stored.name} was written with ${differs.map(([k, a]) => `${k} ${a}`).join(', ')}; this Trainer has ${differs
          .map(([k, , b]) => `${k} ${b}`)
          .join(', ')}. Resume with the options of the run, or start a new run.`,
      );
    }
  }

  private async clearForFreshRun(checkpoints: CheckpointOptions): Promise<void> {
    const existing = (await checkpoints.storage.list()).filter((n) => checkpointStep(n) != null);
    if (existing.length === 0) return;
    if (!checkpoints.overwrite) {
      throw new TrainingCheckpointError(
        `${checkpoints.storage.description} already holds ${existing.join(', ')}. Pass train({ resume: true }) to continue that run, or checkpoints.overwrite: true to delete them and start over.`,
      );
    }
    for (const n of existing) await checkpoints.storage.remove(n);
  }

  private openData(state: unknown): ResumableSource<B> {
    const data = this.options.data;
    if (typeof data === 'function') return data(state ?? undefined);
    if (state !== undefined) {
      throw new TrainingCheckpointError(
        'The checkpoint holds a data position but the Trainer was given a plain async iterable, which cannot resume; pass a data source factory (arraySource, replaySource, or (state) => new PretrainingCorpus(options, state)).',
      );
    }
    return { batches: () => data, getState: () => null };
  }
}

/** a + b by name (a name in only one of them keeps its tensor's value); new tensors. */
function sumGrads(a: Map<string, tf.Tensor>, b: Map<string, tf.Tensor>): Map<string, tf.Tensor> {
  const out = new Map<string, tf.Tensor>();
  for (const name of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(name);
    const y = b.get(name);
    out.set(name, x != null && y != null ? tf.add(x, y) : tf.clone((x ?? y) as tf.Tensor));
  }
  return out;
}

function now(): number {
  return globalThis.performance.now();
}

function checkOptions<M extends TrainableModel, B>(
  options: TrainerOptions<M, B>,
  accumulation: number,
  maxGradNorm: number | null,
): void {
  const positiveInt = (name: string, value: number | undefined) => {
    if (value != null && !(Number.isInteger(value) && value >= 1)) {
      throw new TrainingError(`Trainer: ${name} must be a positive integer (got ${value}).`);
    }
  };
  positiveInt('maxSteps', options.maxSteps);
  positiveInt('gradientAccumulationSteps', accumulation);
  positiveInt('checkpoints.every', options.checkpoints?.every);
  positiveInt('evaluation.every', options.evaluation?.every);
  positiveInt('logEvery', options.logEvery);
  const keep = options.checkpoints?.keep;
  if (keep != null && !(keep === Number.POSITIVE_INFINITY || (Number.isInteger(keep) && keep >= 1))) {
    throw new TrainingError(`Trainer: checkpoints.keep must be a positive integer or Infinity (got ${keep}).`);
  }
  if (maxGradNorm != null && !(Number.isFinite(maxGradNorm) && maxGradNorm > 0)) {
    throw new TrainingError(
      `Trainer: maxGradNorm must be a finite number > 0, or null for no clipping (got ${maxGradNorm}).`,
    );
  }
  if (options.seed != null && !Number.isSafeInteger(options.seed)) {
    throw new TrainingError(`Trainer: seed must be an integer (got ${options.seed}).`);
  }
  if (options.earlyStopping != null) {
    if (options.evaluation == null) {
      throw new TrainingError('Trainer: earlyStopping needs evaluation (the metric it watches comes from evaluate()).');
    }
    checkEarlyStopping(options.earlyStopping);
  }
  if (options.checkpoints != null && options.model.config == null && typeof options.model.toFiles !== 'function') {
    throw new TrainingError(
      'Trainer: checkpoints need model.config (written as config.json) or model.toFiles(); this model has neither.',
    );
  }
}

/** The schedule as a function; a warmup longer than training is an error. */
function scheduleOf(learningRate: number | LearningRateSchedule, maxSteps: number | undefined): LearningRateSchedule {
  if (typeof learningRate === 'number') {
    if (!(Number.isFinite(learningRate) && learningRate > 0)) {
      throw new TrainingError(`Trainer: learningRate must be a finite number > 0 (got ${learningRate}).`);
    }
    return () => learningRate;
  }
  if (typeof learningRate !== 'function') {
    throw new TrainingError('Trainer: learningRate must be a number or a schedule (step) => rate.');
  }
  const { warmupSteps, totalSteps } = learningRate as { warmupSteps?: unknown; totalSteps?: unknown };
  if (maxSteps != null && typeof warmupSteps === 'number' && warmupSteps > maxSteps) {
    throw new TrainingError(
      `Trainer: the schedule warms up for ${warmupSteps} steps but training stops after maxSteps ${maxSteps}; shorten the warmup or train longer.`,
    );
  }
  if (maxSteps != null && typeof totalSteps === 'number' && totalSteps < maxSteps) {
    throw new TrainingError(
      `Trainer: the schedule ends at step ${totalSteps} but maxSteps is ${maxSteps}; build the schedule for ${maxSteps} steps.`,
    );
  }
  return learningRate;
}

/** Each distinct variable once under its first name, minus the frozen ones. */
function trainableParameters(named: Map<string, tf.Variable>, freeze: (string | RegExp)[]): Map<string, tf.Variable> {
  const matches = (pattern: string | RegExp, name: string) =>
    typeof pattern === 'string' ? pattern === name : pattern.test(name);
  for (const pattern of freeze) {
    if (![...named.keys()].some((n) => matches(pattern, n))) {
      const some = [...named.keys()].slice(0, 3).join(', ');
      throw new TrainingError(
        `Trainer: freeze rule ${String(pattern)} matches no parameter of the model (names look like ${some}, …).`,
      );
    }
  }
  const out = new Map<string, tf.Variable>();
  const seen = new Set<tf.Variable>();
  for (const [name, v] of named) {
    if (seen.has(v) || freeze.some((p) => matches(p, name))) continue;
    seen.add(v);
    out.set(name, v);
  }
  if (out.size === 0) throw new TrainingError('Trainer: no parameter is left to train (all frozen).');
  return out;
}
