"""Builds packages/albert/test/fixtures/albert-30k and albert-30k-json: ALBERT's 30k tokenizer (the
spiece.model of albert-base-v2) as a Hugging Face folder, and Hugging Face's ids for it.

    python3 packages/albert/scripts/make-tokenizer-reference.py [path/to/shared]

Reads ../shared/fixtures/tokenizer (the project's reference fixtures; see README-tokenizer-json.md
there), which the tests never do:
- albert-30k/spiece.model: albert-30k.model; tokenizer_config.json: what AlbertTokenizer.save_pretrained
  writes for albert-base-v2 (do_lower_case, remove_space, keep_accents, the special tokens,
  model_max_length 512).
- albert-30k-json/tokenizer.json: albert-30k.tokenizer.json (transformers' AlbertConverter), with the
  same tokenizer_config.json.
- albert-30k.expected.json:
  - "spiece": input_ids of the slow AlbertTokenizer (transformers 4.57.6 on SentencePiece 0.2.2;
    albert-30k.jsonl) for a few texts;
  - "tokenizerJson": input_ids of the Rust tokenizers 0.22.2 loading tokenizer.json
    (albert-30k.tokenizer-json.expected.jsonl, "current") for the same texts;
  - "flags": ids (no [CLS]/[SEP]) of texts under tokenizer_config.json flags, each with the ids under
    the default flags: HF's own test values (tests/models/albert/test_tokenization_albert.py, via
    hf_albert_tokenization_expected.json) and CPython runs of HF's slow tokenizer with other settings
    (the tokenizer package's albert-random*.jsonl, computed by its scripts/gen-albert-random.py).
"""
import json
import shutil
import sys
from pathlib import Path

here = Path(__file__).resolve().parent
shared = Path(sys.argv[1]) if len(sys.argv) > 1 else here.parents[3] / 'shared'
tok = shared / 'fixtures' / 'tokenizer'
random_dir = here.parents[1] / 'tokenizer' / 'test' / 'fixtures'
out = here.parent / 'test' / 'fixtures'

config = {
    'tokenizer_class': 'AlbertTokenizer',
    'do_lower_case': True,
    'remove_space': True,
    'keep_accents': False,
    'bos_token': '[CLS]',
    'eos_token': '[SEP]',
    'unk_token': '<unk>',
    'sep_token': '[SEP]',
    'pad_token': '<pad>',
    'cls_token': '[CLS]',
    'mask_token': {'content': '[MASK]', 'lstrip': True, 'rstrip': False, 'normalized': False,
                   'single_word': False, '__type': 'AddedToken'},
    'model_max_length': 512,
}

TEXTS = [
    'The quick brown fox jumps over the lazy dog.',
    'café',
    'Crème brûlée is a dessert.',
    'multiple     spaces    between   words',
    '  both sides  ',
]

FLAG_CASES = [  # (tokenizer_config.json flags, name in albert-random-options.jsonl, text)
    ({'keep_accents': True}, 'keep_accents', 'Å'),
    ({'keep_accents': True}, 'keep_accents', '\xa0e\u0301'),
    ({'do_lower_case': False}, 'cased', 'Irx'),
    ({'do_lower_case': False}, 'cased', 'S]K'),
    ({'do_lower_case': False, 'keep_accents': True}, 'cased_keep_accents', '\xa0e\u0301'),
    ({'remove_space': False}, 'keep_space', '𝟨𝕻\x85;D'),
    ({'remove_space': False}, 'keep_space', '``  '),
]


def jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding='utf-8').split('\n') if line.strip()]


def write_json(path, value):
    path.write_text(json.dumps(value, ensure_ascii=False, indent=1) + '\n', encoding='utf-8')


def main():
    spiece_dir, json_dir = out / 'albert-30k', out / 'albert-30k-json'
    for d in (spiece_dir, json_dir):
        d.mkdir(parents=True, exist_ok=True)
        write_json(d / 'tokenizer_config.json', config)
    shutil.copyfile(tok / 'albert-30k.model', spiece_dir / 'spiece.model')
    shutil.copyfile(tok / 'albert-30k.tokenizer.json', json_dir / 'tokenizer.json')

    slow = {c['text']: c for c in jsonl(tok / 'albert-30k.jsonl')}
    fast = {c['text']: c for c in jsonl(tok / 'albert-30k.tokenizer-json.expected.jsonl') if 'text_pair' not in c}
    default = {c['text']: c for c in jsonl(random_dir / 'albert-random.jsonl')}
    options = {(c['options'], c['text']): c for c in jsonl(random_dir / 'albert-random-options.jsonl')}
    hf = {c['name']: c for c in json.loads((tok / 'hf_albert_tokenization_expected.json').read_text())['cases']}

    flags = [{
        'source': 'transformers tests/models/albert/test_tokenization_albert.py: test_full_tokenizer '
                  '(keep_accents) and the slow ids of test_rust_and_python_full_tokenizers (default)',
        'flags': hf['test_full_tokenizer/2']['tokenizer_args'],
        'text': hf['test_full_tokenizer/2']['text'],
        'ids': hf['test_full_tokenizer/2']['ids'],
        'defaultIds': hf['test_rust_and_python_full_tokenizers']['ids'],
    }]
    for settings, name, text in FLAG_CASES:
        flags.append({
            'source': f'CPython, HF slow AlbertTokenizer, settings {name} (albert-random-options.jsonl)',
            'flags': settings,
            'text': text,
            'pieces': options[(name, text)]['pieces'],
            'ids': options[(name, text)]['ids'],
            'defaultIds': default[text]['ids'],
        })
    write_json(out / 'albert-30k.expected.json', {
        'spiece': [{'text': t, 'inputIds': slow[t]['encoded']['input_ids']} for t in TEXTS],
        'tokenizerJson': [{'text': t, 'inputIds': fast[t]['current']['input_ids']} for t in TEXTS],
        'flags': flags,
    })


main()
