// The Done-when round trip on a committed slice of SQuAD v1.1 dev (3 articles, 397 questions; the
// whole dev set runs in `pnpm bench squad-roundtrip`): gold characters → token span per window →
// one-hot logits → post-processor → text. The text is the gold text, except where the tokenizer
// cannot cut (the gold answer starts or ends inside a token: then the text is the tokens around it)
// or the gold answer is longer than maxAnswerLength (30) tokens (rejected by design, as in HF).
import { describe, expect, it } from 'vitest';
import { squadRoundTrip } from '../bench/squad-roundtrip-check.js';
import { readSquadJson, type SquadExample } from '../src/index.js';
import { albert, readText } from './load.js';

const { examples } = readSquadJson(readText('squad-v1.1-dev-slice.json'));
const tok = albert();

describe('SQuAD round trip (dev slice)', () => {
  const capped = squadRoundTrip(tok, examples);
  const open = squadRoundTrip(tok, examples, undefined, { maxAnswerLength: 384 });

  it('gives back every first gold answer, the misses explained', () => {
    console.log(
      `SQuAD slice round trip: ${capped.questions} questions, ${capped.features} windows; exact ${capped.exact}, ` +
        `whitespace-equal ${capped.whitespace}, longer than 30 tokens ${capped.tooLong}, gold edge inside a token ${capped.insideToken}, wrong ${capped.wrong}`,
    );
    expect(capped.questions).toBe(397);
    expect(capped.wrong).toBe(0);
    expect(capped.exact + capped.whitespace + capped.tooLong + capped.insideToken).toBe(397);
    // several questions have contexts longer than one window
    expect(capped.features).toBeGreaterThan(capped.questions);
    for (const m of capped.misses) {
      if (m.outcome === 'inside-token') {
        // the text holds the gold text, at the gold position
        expect(m.text.includes(m.gold), m.id).toBe(true);
        expect(m.start <= m.goldStart && m.end >= m.goldStart + m.gold.length, m.id).toBe(true);
      }
    }
  });

  it('without the 30-token cap the long answers come back exactly', () => {
    expect(open.tooLong).toBe(0);
    expect(open.wrong).toBe(0);
    expect(open.exact).toBe(capped.exact + capped.tooLong);
    const long = new Set(capped.misses.filter((m) => m.outcome === 'too-long').map((m) => m.id));
    for (const m of open.misses) expect(long.has(m.id), m.id).toBe(false);
  });

  it('works for every gold answer of every question too (each as its own question)', () => {
    const every: SquadExample[] = examples.flatMap((e) =>
      e.answers.map((a, k) => ({ ...e, id: `${e.id}#${k}`, answers: [a] })),
    );
    const r = squadRoundTrip(tok, every, undefined, { maxAnswerLength: 384 });
    expect(r.questions).toBe(1193);
    expect(r.wrong).toBe(0);
    expect(r.exact + r.whitespace + r.insideToken).toBe(1193);
  });
});
