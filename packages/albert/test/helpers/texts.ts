// Sentences the pipeline tests feed their tiny models: short and long, with punctuation (Lewis
// Carroll, Alice's Adventures in Wonderland, public domain).
export const ALICE_TEXTS = [
  'Alice was beginning to get very tired of sitting by her sister on the bank.',
  'Down, down, down.',
  'The rabbit-hole went straight on like a tunnel for some way, and then dipped suddenly down.',
  'Curiouser and curiouser!',
  'She ate a little bit, and said anxiously to herself, which way? which way?',
];
