"""Counts of the SOP instances google-research/albert's create_pretraining_data.py makes.

An independent re-implementation, written from the documented logic of its
create_instances_from_document (ALBERT's defaults: random_next_sentence False), that keeps only
what the tests compare: how many instances a document yields, how many take segment B from a
random other document (a chunk of one segment: is_random_next, label 1), how many are swapped
(label 1) and which document lent B. Token contents do not matter for these counts, so a document
is given as the list of its segments' lengths.

stdin:  {"documents": [[len, ...], ...], "max_seq_length": int, "short_seq_prob": float,
         "dupe_factor": int, "seed": int}
stdout: {"per_dupe": [{"instances", "borrowed", "swapped", "single_one_token"}, ...],
         "borrowed_by_document": [...], "lent_by_document": [...]}   (the last two summed over dupes)
"""
import json
import random
import sys


def document_counts(documents, index, max_seq_length, short_seq_prob, rng, counts):
    lengths = documents[index]
    max_num_tokens = max_seq_length - 3
    target = max_num_tokens
    if rng.random() < short_seq_prob:
        target = rng.randint(2, max_num_tokens)
    chunk = []
    total = 0
    i = 0
    while i < len(lengths):
        chunk.append(lengths[i])
        total += lengths[i]
        if i == len(lengths) - 1 or total >= target:
            a_segments = 1
            if len(chunk) >= 2:
                a_segments = rng.randint(1, len(chunk) - 1)
            if len(chunk) == 1:
                # B from a random other document: up to ten draws to avoid this one.
                other = index
                for _ in range(10):
                    other = rng.randint(0, len(documents) - 1)
                    if other != index:
                        break
                rng.randint(0, len(documents[other]) - 1)  # where B starts in that document
                counts["borrowed"] += 1
                counts["borrowed_by_document"][index] += 1
                counts["lent_by_document"][other] += 1
                if chunk[0] == 1:
                    counts["single_one_token"] += 1
                i -= len(chunk) - a_segments  # the segments B did not use go back (none here)
            elif rng.random() < 0.5:
                counts["swapped"] += 1
            counts["instances"] += 1
            chunk = []
            total = 0
        i += 1


def main():
    spec = json.load(sys.stdin)
    documents = spec["documents"]
    rng = random.Random(spec["seed"])
    borrowed_by_document = [0] * len(documents)
    lent_by_document = [0] * len(documents)
    per_dupe = []
    for _ in range(spec["dupe_factor"]):
        counts = {
            "instances": 0,
            "borrowed": 0,
            "swapped": 0,
            "single_one_token": 0,
            "borrowed_by_document": borrowed_by_document,
            "lent_by_document": lent_by_document,
        }
        for index in range(len(documents)):
            document_counts(documents, index, spec["max_seq_length"], spec["short_seq_prob"], rng, counts)
        per_dupe.append({k: counts[k] for k in ("instances", "borrowed", "swapped", "single_one_token")})
    json.dump(
        {"per_dupe": per_dupe, "borrowed_by_document": borrowed_by_document, "lent_by_document": lent_by_document},
        sys.stdout,
    )


main()
