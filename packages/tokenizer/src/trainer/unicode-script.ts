// The Unicode Script property of a code point, as SentencePiece's trainer uses it to keep pieces
// inside one script (split_by_unicode_script). JavaScript's regular expressions know the property
// (`\p{Script=…}`, Unicode's Scripts.txt), so we test against the scripts of living writing systems
// and cache per code point; anything else is grouped as 'Other'. Like SentencePiece, Hiragana,
// Katakana and the prolonged sound mark U+30FC count as Han.

const SCRIPTS = [
  'Latin',
  'Common',
  'Inherited',
  'Greek',
  'Cyrillic',
  'Armenian',
  'Hebrew',
  'Arabic',
  'Syriac',
  'Thaana',
  'Nko',
  'Devanagari',
  'Bengali',
  'Gurmukhi',
  'Gujarati',
  'Oriya',
  'Tamil',
  'Telugu',
  'Kannada',
  'Malayalam',
  'Sinhala',
  'Thai',
  'Lao',
  'Tibetan',
  'Myanmar',
  'Georgian',
  'Hangul',
  'Ethiopic',
  'Cherokee',
  'Canadian_Aboriginal',
  'Ogham',
  'Runic',
  'Khmer',
  'Mongolian',
  'Hiragana',
  'Katakana',
  'Bopomofo',
  'Han',
  'Yi',
  'Gothic',
  'Tagalog',
  'Braille',
  'Coptic',
  'Tifinagh',
  'Vai',
  'Javanese',
  'Balinese',
  'Sundanese',
  'Tai_Le',
  'Tai_Tham',
  'Tai_Viet',
  'Cham',
  'Lepcha',
  'Ol_Chiki',
  'Glagolitic',
  'Samaritan',
  'Mandaic',
  'Adlam',
] as const;

const tests = SCRIPTS.map((name) => ({ name, re: new RegExp(`^\\p{Script=${name}}$`, 'u') }));
const cache = new Map<number, string>();

export function unicodeScript(codePoint: number): string {
  let script = cache.get(codePoint);
  if (script !== undefined) return script;
  const ch = String.fromCodePoint(codePoint);
  script = 'Other';
  for (const { name, re } of tests) {
    if (re.test(ch)) {
      script = name;
      break;
    }
  }
  if (script === 'Hiragana' || script === 'Katakana' || codePoint === 0x30fc) script = 'Han';
  cache.set(codePoint, script);
  return script;
}

/** ASCII and full-width decimal digits, the digits SentencePiece's split_by_number looks at. */
export function isDigit(codePoint: number): boolean {
  return (codePoint >= 0x30 && codePoint <= 0x39) || (codePoint >= 0xff10 && codePoint <= 0xff19);
}
