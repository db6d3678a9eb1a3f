// What the Trainer tells its listeners, as plain objects a CLI progress bar or a web page renders.

export type StepEvent = {
  /** Updates done (1 after the first). */
  step: number;
  maxSteps: number | null;
  /** Mean loss over this update's micro-batches. */
  loss: number;
  /** The learning rate this update used. */
  learningRate: number;
  /** Global gradient norm before clipping. */
  gradNorm: number;
  /** Tokens in this update's batches; tokensSeen over the whole run. */
  tokens: number;
  tokensSeen: number;
  /** Over this train() call so far. */
  tokensPerSecond: number;
  /** Seconds in train() over the whole run (all resumed sessions). */
  elapsedSeconds: number;
  /** Time to maxSteps at this session's pace; null without maxSteps. */
  etaSeconds: number | null;
};

export type EvaluateEvent = {
  step: number;
  metrics: Record<string, number>;
  /** With early stopping: the best watched value so far, its step, and evaluations since. */
  bestMetric: number | null;
  bestStep: number | null;
  evalsWithoutImprovement: number;
};

export type CheckpointEvent = {
  step: number;
  name: string;
  reason: CheckpointReason;
  /** Older checkpoints deleted to keep the last `keep`. */
  removed: string[];
};

export type CheckpointReason = 'interval' | 'end' | 'stop';

/** Why train() returned. */
export type StopReason = 'max-steps' | 'data-exhausted' | 'early-stopping' | 'stopped';

/** 'non-finite': train() rejects with a NonFiniteLossError after this event. */
export type StopEvent = { step: number; reason: StopReason | 'non-finite'; message: string };

export type TrainerEvents = {
  step: StepEvent;
  evaluate: EvaluateEvent;
  /** A checkpoint write starts (a UI shows "saving…"). */
  checkpointStart: { step: number; name: string; reason: CheckpointReason };
  checkpoint: CheckpointEvent;
  stop: StopEvent;
};

export type Listener<T> = (event: T) => void;

/** A typed event emitter: on() returns the function that removes the listener. */
export class Emitter<E extends Record<string, unknown>> {
  private readonly listeners = new Map<keyof E, Set<Listener<never>>>();

  on<K extends keyof E>(type: K, listener: Listener<E[K]>): () => void {
    let set = this.listeners.get(type);
    if (set == null) this.listeners.set(type, (set = new Set()));
    set.add(listener as Listener<never>);
    return () => set.delete(listener as Listener<never>);
  }

  protected emit<K extends keyof E>(type: K, event: E[K]): void {
    for (const listener of this.listeners.get(type) ?? []) (listener as Listener<E[K]>)(event);
  }
}
