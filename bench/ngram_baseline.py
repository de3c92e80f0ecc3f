#!/usr/bin/env python3
"""ngram_baseline.py: general-purpose text classifiers on en_vader_tweets, to see whether
kulak's tweets score (README "Measured") is limited by its learner.

Logistic regression (scikit-learn) over TF-IDF word 1-2-grams and character 2-5-grams,
5-fold stratified CV on the tweets, optionally with amazon and the movie snippets (at 0.3)
added to each fold's training rows, as kulak's English model is trained. Prints 3-class
macro-F1 and per-class F1 for each setting. Not part of `make bench`: it needs Debian's
python3-sklearn (`apt-get install -y python3-sklearn`) and takes about 10 minutes on two cores.
Usage: bench/ngram_baseline.py [DATASETS]   (default ../shared/datasets)
"""
import csv
import os
import sys

import numpy as np
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold

HERE = os.path.dirname(os.path.abspath(__file__))
DATASETS = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "shared", "datasets")


def load(name):
    with open(os.path.join(DATASETS, name, "eval.tsv"), encoding="utf-8") as f:
        rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))[1:]
    return [r[2] for r in rows], [r[1] for r in rows]


texts, labels = load("en_vader_tweets")
labels = np.array(labels)
extra_texts, extra_labels, extra_weights = [], [], []
for name, weight in (("en_vader_amazon", 1.0), ("en_vader_movie", 0.3)):
    t, l = load(name)
    extra_texts += t
    extra_labels += l
    extra_weights += [weight] * len(t)


def words():
    return [TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)]


def chars():
    return [TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True)]


def run(name, vectorizers, extra=False, class_weight=None, C=1.0):
    predicted = np.empty(len(labels), dtype=object)
    for train, test in StratifiedKFold(5, shuffle=True, random_state=1).split(texts, labels):
        train_texts = [texts[i] for i in train]
        train_labels = list(labels[train])
        weights = [1.0] * len(train)
        if extra:
            train_texts += extra_texts
            train_labels += extra_labels
            weights += extra_weights
        vecs = vectorizers()
        X = hstack([v.fit_transform(train_texts) for v in vecs]).tocsr()
        T = hstack([v.transform([texts[i] for i in test]) for v in vecs]).tocsr()
        model = LogisticRegression(C=C, max_iter=2000, class_weight=class_weight)
        model.fit(X, train_labels, sample_weight=weights)
        predicted[test] = model.predict(T)
    f1 = f1_score(labels, predicted, average=None, labels=["pos", "neg", "neu"])
    print(f"{name:38s} macro-F1 {f1.mean():.3f}   pos {f1[0]:.3f} neg {f1[1]:.3f} neu {f1[2]:.3f}",
          flush=True)


for C in (1, 10):
    run(f"words, tweets only, C={C}", words, C=C)
    run(f"chars, tweets only, C={C}", chars, C=C)
    run(f"words+chars, +amazon +movie, C={C}", lambda: words() + chars(), extra=True, C=C)
    run(f"same, balanced classes, C={C}", lambda: words() + chars(), extra=True,
        class_weight="balanced", C=C)
