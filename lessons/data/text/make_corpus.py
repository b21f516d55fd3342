#!/usr/bin/env python3
"""Writes wordnet-glosses.txt, the English corpus of the text lessons, from
WordNet 3.0's data files (Debian package wordnet-base).

    python3 lessons/data/text/make_corpus.py /usr/share/wordnet lessons/data/text/wordnet-glosses.txt

Each line of a WordNet data file (data.noun, data.verb, data.adj, data.adv)
describes one synset; after its " | " comes the gloss: a definition, then usage
examples in double quotes, separated by "; ". Lines that start with two spaces
are the licence header.

The corpus keeps a gloss when it has at least one double-quoted example and an
even number of double quotes (so every quote that opens also closes), and of
those takes every STEP-th per file, in file order, starting with the first. The
four parts of speech are then interleaved by their position within their own
file (a gloss 30 % of the way through data.verb sits near those 30 % of the way
through the others), so that any stretch of the corpus, and so each part of a
split by position, mixes nouns, verbs, adjectives and adverbs in the same
proportions. Text is kept as WordNet writes it (case, punctuation, quotes);
spaces at either end are dropped. One gloss per line, each ending in "\n"; the
output is UTF-8 and the same bytes on every run.

Python 3 standard library only.
"""

import sys
from fractions import Fraction
from pathlib import Path

PARTS_OF_SPEECH = ["noun", "verb", "adj", "adv"]
STEP = 8
GLOSS_SEPARATOR = " | "


def glosses(path):
    """The glosses of one data file, in file order."""
    found = []
    with open(path, encoding="utf-8", newline="\n") as file:
        for number, line in enumerate(file, start=1):
            if line.startswith("  "):
                continue
            _, separator, gloss = line.partition(GLOSS_SEPARATOR)
            if not separator:
                sys.exit(f"{path}:{number}: no '{GLOSS_SEPARATOR.strip()}' before a gloss")
            found.append(gloss.strip())
    return found


def has_whole_examples(gloss):
    return '"' in gloss and gloss.count('"') % 2 == 0


def corpus_lines(wordnet_folder):
    keyed = []
    for order, pos in enumerate(PARTS_OF_SPEECH):
        kept = [g for g in glosses(Path(wordnet_folder) / f"data.{pos}") if has_whole_examples(g)]
        chosen = kept[::STEP]
        keyed += [(Fraction(i, len(chosen)), order, gloss) for i, gloss in enumerate(chosen)]
    keyed.sort(key=lambda entry: (entry[0], entry[1]))
    return [gloss for _, _, gloss in keyed]


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: make_corpus.py WORDNET_FOLDER OUTPUT_FILE")
    lines = corpus_lines(sys.argv[1])
    text = "".join(line + "\n" for line in lines)
    Path(sys.argv[2]).write_bytes(text.encode("utf-8"))
    print(f"{sys.argv[2]}: {len(lines)} lines, {len(text.encode('utf-8'))} bytes")


if __name__ == "__main__":
    main()
