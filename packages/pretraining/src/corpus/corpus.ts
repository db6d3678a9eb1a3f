// The streaming corpus pipeline: text files → documents → SOP pairs → masked examples → a bounded
// shuffle buffer → padded batches. Input format (as `create_pretraining_data.py`): one sentence or
// paragraph per line, a blank line between documents; the end of a file also ends a document.
//
// Memory: one 1 MiB read buffer, the current document's unfinished chunk (≤ a few lines), the
// shuffle buffer and, with singleSegment 'random-document', the pool of at most
// `randomDocumentPool` segments that B is borrowed from. Nothing else of the corpus is held.
//
// The pool ('random-document'): the original draws B's document uniformly from the whole corpus,
// which a stream cannot hold. The pool is a window of the last `randomDocumentPool` segments read,
// kept across epochs and primed before the first example by reading the corpus's first segments
// ahead, so every document can borrow — the first one of the first epoch from the documents after
// it, the first ones of a later epoch from the end of the previous pass. A document's old entries
// leave the pool when it is read again. On a corpus that fits in the pool, B's document is uniform
// over all other documents, as in the original.
//
// Determinism: every document gets its own generator (seed, epoch, document index), every
// example its own masking generator (seed, epoch, document index, example index in document), and
// every epoch its own shuffle generator. With masking 'static' the epoch is left out of the first
// two, so every epoch sees the same pairs and masks (in a different order); with 'dynamic' (the
// default) each epoch gets fresh splits and masks (RoBERTa-style dynamic masking).
//
// Resuming: `getState()` between two yielded batches returns a JSON-serialisable snapshot (file,
// byte offset, the open document's chunk and generator state, the shuffle buffer's examples, the
// shuffle generator). `new PretrainingCorpus(options, state)` continues exactly there: the batches
// that follow are identical to those of an uninterrupted run.
import { PretrainingError } from '../errors.js';
import type { MaskingOptions } from '../masking/ngram-masking.js';
import type { WordStartRule } from '../masking/word-start.js';
import { type RandomGenerator, randomInt, rngFor, rngFromState, Stream } from '../random/seeded-rng.js';
import { type Segment, type SopBuilderState, SopDocumentBuilder, type SopOptions } from '../sop/sop-builder.js';
import { collateBatch, type PretrainingBatch } from './batch.js';
import {
  deserializeExample,
  maskInstance,
  type PretrainingExample,
  type SerializedExample,
  serializeExample,
} from './example.js';
import { type Line, readLines } from './line-reader.js';
import { type LineTokenizer, toSegment } from './line-tokenizer.js';
import { ShuffleBuffer } from './shuffle-buffer.js';

export interface CorpusOptions {
  files: readonly string[];
  /** Ids (and pieces or word-start flags) of one line; see `albertLineTokenizer`. */
  tokenize: LineTokenizer;
  seed: number;
  batchSize: number;
  clsId: number;
  sepId: number;
  maskTokenId: number;
  padId: number;
  vocabSize: number;
  /** Default 512. Batches are padded to this length. */
  maxSeqLength?: number;
  /** Default 0.1. */
  shortSeqProb?: number;
  /** Examples held for shuffling. Default 1000. 1 disables shuffling. */
  shuffleBufferSize?: number;
  /** 'dynamic' (default): fresh SOP splits and masks every epoch. 'static': the same every epoch. */
  masking?: 'dynamic' | 'static';
  /** Passes over the files. Default 1. */
  epochs?: number;
  /**
   * A chunk of one segment (a line longer than the target, or a document's last line left alone):
   * 'split' (default) splits it into A and B; 'random-document' takes B from another document and
   * labels it 1, as the original does. The other document comes from a pool of `randomDocumentPool`
   * segments (default 2000) that spans epochs and is primed by reading ahead (see the file comment).
   */
  singleSegment?: 'split' | 'random-document';
  randomDocumentPool?: number;
  /** Drop a last batch smaller than batchSize. Default false. */
  dropLast?: boolean;
  wordStartRule?: WordStartRule;
  maskedLmProb?: number;
  maxPredictionsPerSeq?: number;
  ngram?: number;
  favorShorterNgram?: boolean;
  wholeWordMask?: boolean;
}

export interface CorpusState {
  version: 1;
  epoch: number;
  fileIndex: number;
  /** Byte offset of the next unread line of files[fileIndex]. */
  offset: number;
  /** Index of the current (or last) document in this epoch; -1 before the first. */
  docIndex: number;
  /** Examples produced from the current document so far. */
  exampleInDoc: number;
  /** Builder of the open document, null between documents. */
  builder: SopBuilderState | null;
  /** The files of this epoch are exhausted; only the buffer is left. */
  sourceDone: boolean;
  buffer: SerializedExample[];
  /** The window of segments B is borrowed from with singleSegment 'random-document' (empty otherwise). */
  pool: { doc: number; ids: number[]; wordStart: number[] }[];
  /** The pool was primed by the read-ahead at the start (absent in older states: true). */
  primed?: boolean;
  shuffleRng: number[];
  examplesEmitted: number;
  batchesEmitted: number;
}

export class PretrainingCorpus {
  private readonly options: CorpusOptions;
  private readonly masking: Omit<MaskingOptions, 'recordSpans'>;
  private readonly epochs: number;
  private epoch: number;
  private fileIndex: number;
  private offset: number;
  private docIndex: number;
  private exampleInDoc: number;
  private builder: SopDocumentBuilder | null;
  private sourceDone: boolean;
  private buffer: ShuffleBuffer<PretrainingExample>;
  private pool: { doc: number; segment: Segment }[] = [];
  private primed: boolean;
  private shuffleRng: RandomGenerator;
  private examplesEmitted: number;
  private batchesEmitted: number;
  private lines: AsyncGenerator<Line> | null = null;

  constructor(options: CorpusOptions, state?: CorpusState) {
    if (options.files.length === 0) throw new PretrainingError('PretrainingCorpus: options.files is empty.');
    if (!(Number.isInteger(options.batchSize) && options.batchSize >= 1)) {
      throw new PretrainingError(`PretrainingCorpus: batchSize must be a positive integer (got ${options.batchSize}).`);
    }
    this.options = options;
    this.epochs = options.epochs ?? 1;
    this.masking = {
      maskTokenId: options.maskTokenId,
      vocabSize: options.vocabSize,
      specialIds: [options.clsId, options.sepId, options.padId],
      maskedLmProb: options.maskedLmProb,
      maxPredictionsPerSeq: options.maxPredictionsPerSeq,
      ngram: options.ngram,
      favorShorterNgram: options.favorShorterNgram,
      wholeWordMask: options.wholeWordMask,
    };
    const capacity = options.shuffleBufferSize ?? 1000;
    if (state != null) {
      if (state.version !== 1 || state.fileIndex > options.files.length) {
        throw new PretrainingError(
          `PretrainingCorpus: the saved state (version ${state.version}, file ${state.fileIndex}) does not fit these options (${options.files.length} files); resume with the options it was saved with.`,
        );
      }
      this.epoch = state.epoch;
      this.fileIndex = state.fileIndex;
      this.offset = state.offset;
      this.docIndex = state.docIndex;
      this.exampleInDoc = state.exampleInDoc;
      this.builder =
        state.builder == null
          ? null
          : new SopDocumentBuilder(this.sopOptions(), rngFromState(state.builder.rng), state.builder);
      this.sourceDone = state.sourceDone;
      this.buffer = new ShuffleBuffer(capacity, state.buffer.map(deserializeExample));
      this.pool = (state.pool ?? []).map((p) => ({
        doc: p.doc,
        segment: { ids: Int32Array.from(p.ids), wordStart: Uint8Array.from(p.wordStart) },
      }));
      this.primed = state.primed ?? true;
      this.shuffleRng = rngFromState(state.shuffleRng);
      this.examplesEmitted = state.examplesEmitted;
      this.batchesEmitted = state.batchesEmitted;
    } else {
      this.epoch = 0;
      this.fileIndex = 0;
      this.offset = 0;
      this.docIndex = -1;
      this.exampleInDoc = 0;
      this.builder = null;
      this.sourceDone = false;
      this.buffer = new ShuffleBuffer(capacity);
      this.primed = false;
      this.shuffleRng = rngFor(options.seed, Stream.shuffle, 0);
      this.examplesEmitted = 0;
      this.batchesEmitted = 0;
    }
  }

  /** A snapshot to resume from; take it between yielded batches (or examples). */
  getState(): CorpusState {
    return {
      version: 1,
      epoch: this.epoch,
      fileIndex: this.fileIndex,
      offset: this.offset,
      docIndex: this.docIndex,
      exampleInDoc: this.exampleInDoc,
      builder: this.builder?.getState() ?? null,
      sourceDone: this.sourceDone,
      buffer: this.buffer.items.map(serializeExample),
      pool: this.pool.map((p) => ({
        doc: p.doc,
        ids: Array.from(p.segment.ids),
        wordStart: Array.from(p.segment.wordStart),
      })),
      primed: this.primed,
      shuffleRng: [...this.shuffleRng.getState()],
      examplesEmitted: this.examplesEmitted,
      batchesEmitted: this.batchesEmitted,
    };
  }

  /** Where the stream is: epoch, examples and batches emitted, file index and byte offset read. */
  get position(): {
    epoch: number;
    examples: number;
    batches: number;
    fileIndex: number;
    offset: number;
    buffered: number;
  } {
    return {
      buffered: this.buffer.size,
      epoch: this.epoch,
      examples: this.examplesEmitted,
      batches: this.batchesEmitted,
      fileIndex: this.fileIndex,
      offset: this.offset,
    };
  }

  async *batches(): AsyncGenerator<PretrainingBatch> {
    const seqLength = this.options.maxSeqLength ?? 512;
    let pending: PretrainingExample[] = [];
    for await (const example of this.examples()) {
      pending.push(example);
      if (pending.length === this.options.batchSize) {
        const batch = collateBatch(pending, seqLength, this.options.padId);
        pending = [];
        this.batchesEmitted++;
        yield batch;
      }
    }
    if (pending.length > 0 && !this.options.dropLast) {
      this.batchesEmitted++;
      yield collateBatch(pending, seqLength, this.options.padId);
    }
  }

  async *examples(): AsyncGenerator<PretrainingExample> {
    try {
      if (!this.primed) await this.primePool();
      while (this.epoch < this.epochs) {
        while (!this.buffer.full && !this.sourceDone) {
          const example = await this.nextFromSource();
          if (example == null) this.sourceDone = true;
          else this.buffer.push(example);
        }
        const example = this.buffer.take(this.shuffleRng);
        if (example == null) {
          this.startEpoch(this.epoch + 1);
          continue;
        }
        this.examplesEmitted++;
        yield example;
      }
    } finally {
      await this.lines?.return(undefined);
      this.lines = null;
    }
  }

  private startEpoch(epoch: number): void {
    this.epoch = epoch;
    this.fileIndex = 0;
    this.offset = 0;
    this.docIndex = -1;
    this.exampleInDoc = 0;
    this.builder = null;
    this.sourceDone = false;
    this.shuffleRng = rngFor(this.options.seed, Stream.shuffle, epoch);
  }

  private sopOptions(): SopOptions {
    return {
      clsId: this.options.clsId,
      sepId: this.options.sepId,
      maxSeqLength: this.options.maxSeqLength,
      shortSeqProb: this.options.shortSeqProb,
      singleSegment: this.options.singleSegment ?? 'split',
      randomDocument: (rng) => this.randomOtherDocument(rng),
    };
  }

  /** The pooled segments of a uniformly chosen document other than the current one, in order. */
  private randomOtherDocument(rng: RandomGenerator): Segment[] | null {
    const docs = [...new Set(this.pool.map((p) => p.doc))].filter((d) => d !== this.docIndex);
    if (docs.length === 0) return null;
    const doc = docs[randomInt(rng, 0, docs.length - 1)];
    return this.pool.filter((p) => p.doc === doc).map((p) => p.segment);
  }

  private get poolCapacity(): number {
    return this.options.singleSegment === 'random-document' ? (this.options.randomDocumentPool ?? 2000) : 0;
  }

  private remember(segment: Segment): void {
    if (this.poolCapacity === 0) return;
    this.pool.push({ doc: this.docIndex, segment });
    const excess = this.pool.length - this.poolCapacity;
    if (excess > 0) this.pool.splice(0, excess);
  }

  /** Document `doc` is being read (again): its entries from the read-ahead or the last pass leave the pool. */
  private forget(doc: number): void {
    if (this.pool.length > 0) this.pool = this.pool.filter((p) => p.doc !== doc);
  }

  /**
   * Before the first example: read the corpus's first `randomDocumentPool` segments ahead into the
   * pool, numbering documents as `nextFromSource` does, so that the first documents have others to
   * borrow from. Reads (and tokenizes) those lines a second time; nothing else is held.
   */
  private async primePool(): Promise<void> {
    this.primed = true;
    const capacity = this.poolCapacity;
    if (capacity === 0) return;
    let doc = -1;
    for (const path of this.options.files) {
      let open = false; // the end of a file ends a document
      let lineStart = 0;
      for await (const line of readLines(path, 0)) {
        const start = lineStart;
        lineStart = line.next;
        if (line.text.trim() === '') {
          open = false;
          continue;
        }
        const tokenized = this.tokenizeLine(line.text, path, start);
        if (tokenized.ids.length === 0) continue;
        if (!open) {
          doc++;
          open = true;
        }
        this.pool.push({ doc, segment: toSegment(tokenized, this.options.wordStartRule) });
        if (this.pool.length >= capacity) return;
      }
    }
  }

  private epochKey(): number {
    return this.options.masking === 'static' ? 0 : this.epoch;
  }

  private makeExample(instance: ReturnType<SopDocumentBuilder['push']>): PretrainingExample | null {
    if (instance == null) return null;
    const rng = rngFor(this.options.seed, Stream.mask, this.epochKey(), this.docIndex, this.exampleInDoc++);
    return maskInstance(instance, rng, this.masking);
  }

  private endDocument(): PretrainingExample | null {
    const builder = this.builder;
    this.builder = null;
    return builder == null ? null : this.makeExample(builder.finish());
  }

  private tokenizeLine(text: string, path: string, lineStart: number): ReturnType<LineTokenizer> {
    try {
      return this.options.tokenize(text);
    } catch (err) {
      throw new PretrainingError(
        `PretrainingCorpus: tokenizing the line at byte ${lineStart} of ${path} failed: ${(err as Error).message}. ` +
          'Fix or remove that line (the pipeline can resume from getState()).',
        { cause: err },
      );
    }
  }

  /** Read lines until one example is ready; null when this epoch's files are exhausted. */
  private async nextFromSource(): Promise<PretrainingExample | null> {
    const { files } = this.options;
    while (this.fileIndex < files.length) {
      const path = files[this.fileIndex] as string;
      this.lines ??= readLines(path, this.offset);
      const next = await this.lines.next();
      if (next.done) {
        this.lines = null;
        this.fileIndex++;
        this.offset = 0;
        const example = this.endDocument();
        if (example != null) return example;
        continue;
      }
      const lineStart = this.offset;
      this.offset = next.value.next;
      const text = next.value.text;
      if (text.trim() === '') {
        const example = this.endDocument();
        if (example != null) return example;
        continue;
      }
      const tokenized = this.tokenizeLine(text, path, lineStart);
      if (tokenized.ids.length === 0) continue;
      if (this.builder == null) {
        this.docIndex++;
        this.exampleInDoc = 0;
        this.forget(this.docIndex);
        this.builder = new SopDocumentBuilder(
          this.sopOptions(),
          rngFor(this.options.seed, Stream.document, this.epochKey(), this.docIndex),
        );
      }
      const segment = toSegment(tokenized, this.options.wordStartRule);
      const example = this.makeExample(this.builder.push(segment));
      this.remember(segment);
      if (example != null) return example;
    }
    return null;
  }
}
