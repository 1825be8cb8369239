"""Fit how the CRF and LAC combine: `python -m evals.train_name_combiner [--write]`.

Data: CLUENER2020's training split only (the part ``evals.train_ner`` trains the CRF on;
the held-out 15 % is never read here). The shipped CRF has seen every training sentence, so
its marginals there are overconfident; the regression instead reads out-of-fold CRFs: the
training split is halved by a hash of the text, a CRF is trained on each half (same features
and regularisation as the shipped one, ~40 s each, cached in ``$FA_CACHE``) and tags the
other half. LAC never saw CLUENER.

For every candidate name (``name_combiner.candidates``) the label is whether it overlaps a
gold name. A logistic regression is fitted; its threshold is the one with the highest name
recall (gold names wholly masked, by the rule recognizers or the models) at no more than
``MAX_FALSE`` of the sentences without a name given a PERSON mask (rules included), read from
5-fold cross-validated probabilities. Whether LAC's LOC words join the address spans is
decided on the same sentences (street-level recall). ``--write`` stores the coefficients in
``assistant/redaction/models/name_combiner.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import pickle
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_predict

from assistant.company import load_company_profile
from assistant.redaction import Redactor
from assistant.redaction.crf_ner import CrfTagger, doc_tokens, model_meta
from assistant.redaction.lac_ner import default_lac
from assistant.redaction.name_combiner import WEIGHTS_FILE, Candidate, candidates, lac_addresses
from assistant.redaction.recognizers import ALL_RECOGNIZERS
from assistant.redaction.recognizers.zh_ner import ZhNerRecognizer, is_street_level
from assistant.settings import RedactionSettings
from evals.pii_bench import ROOT, bucket, data_file, gold_spans
from evals.pii_bench import is_street_level as gold_street
from evals.train_ner import Featurizer, chat_examples, examples, load_rows, split, train

MAX_FALSE = 0.028
Row = dict[str, Any]


def fold_of(text: str) -> int:
    return bucket(text, "fold") % 2


def fold_crfs(trainable: list[Row], featurize: Featurizer, cache: Path) -> list[CrfTagger]:
    """Two CRFs, each trained on the half of the training split it does not tag."""
    meta = model_meta()
    out = []
    for k in (0, 1):
        path = cache / f"crf_fold{k}.crfsuite"
        if not path.exists():
            fit = [r for r in trainable if fold_of(r["text"]) != k]
            train(examples(fit) + chat_examples(fit), featurize, path, meta["c1"], meta["c2"])  # type: ignore[arg-type]
        out.append(CrfTagger(path, meta["thresholds"], meta["extend"]))  # type: ignore[arg-type]
    return out


def rules_only() -> Redactor:
    company = load_company_profile(None, ROOT / "knowledge_docs")
    recognizers = tuple(r for r in ALL_RECOGNIZERS if not issubclass(r, ZhNerRecognizer))
    return Redactor(company.redaction_settings(RedactionSettings()), recognizers=recognizers)


def sentence_records(trainable: list[Row]) -> list[dict[str, Any]]:
    """Per sentence: candidates with labels, model addresses, and the rules' masks."""
    featurize = Featurizer()
    cache = Path(os.environ.get("FA_CACHE", "/tmp"))
    crfs, lac, rules = fold_crfs(trainable, featurize, cache), default_lac(), rules_only()
    records = []
    for row in trainable:
        text = row["text"]
        tokens = doc_tokens(featurize._nlp.make_doc(text))
        crf = crfs[fold_of(text)]
        tags, probs = crf.probabilities(text, tokens)
        words = lac.words(text)
        masks = rules.find(text)
        records.append(
            {
                "row": row,
                "per": probs["PER"],
                "words": words,
                "crf_addresses": [
                    (s.start, s.end)
                    for s in crf.decode(text, tags, probs)
                    if s.entity_type == "ADDRESS" and is_street_level(text[s.start : s.end])
                ],
                "lac_addresses": [
                    (s, e) for s, e in lac_addresses(text, words) if is_street_level(text[s:e])
                ],
                "rule_spans": [(m.start, m.end) for m in masks],
                "rule_person": any(m.entity_type == "PERSON" for m in masks),
            }
        )
    return records


def with_candidates(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each record with its candidate names and their labels (overlaps a gold name)."""
    for r in records:
        names = gold_spans(r["row"], "name")
        found: list[Candidate] = candidates(r["row"]["text"], r["words"], r["per"])
        r["candidates"] = found
        r["labels"] = [any(s < c.end and c.start < e for s, e in names) for c in found]
    return records


def cached_records(trainable: list[Row]) -> list[dict[str, Any]]:
    """The per-sentence model outputs, cached in ``$FA_CACHE`` (they take minutes)."""
    cache = Path(os.environ.get("FA_CACHE", "/tmp")) / f"name_combiner_records_{len(trainable)}.pkl"
    if cache.exists():
        return pickle.loads(cache.read_bytes())  # type: ignore[no-any-return]
    records = sentence_records(trainable)
    cache.write_bytes(pickle.dumps(records))
    return records


def _covered(span: tuple[int, int], masks: list[tuple[int, int]]) -> bool:
    return all(any(s <= i < e for s, e in masks) for i in range(*span))


def figures(
    records: list[dict[str, Any]], probs: list[np.ndarray], threshold: float
) -> tuple[float, float]:
    """(names wholly masked, share of name-less sentences with a PERSON mask)."""
    names = hit = no_name = false = 0
    for record, p in zip(records, probs, strict=True):
        kept = [
            (c.start, c.end) for c, q in zip(record["candidates"], p, strict=True) if q >= threshold
        ]
        masks = record["rule_spans"] + kept + record["crf_addresses"] + record["lac_addresses"]
        gold = gold_spans(record["row"], "name")
        names += len(gold)
        hit += sum(_covered(g, masks) for g in gold)
        if not gold:
            no_name += 1
            false += record["rule_person"] or bool(kept)
    return hit / max(names, 1), false / max(no_name, 1)


def street_recall(records: list[dict[str, Any]], with_lac: bool) -> float:
    streets = hit = 0
    for r in records:
        masks = r["rule_spans"] + r["crf_addresses"] + (r["lac_addresses"] if with_lac else [])
        for s, e in gold_spans(r["row"], "address"):
            if gold_street(r["row"]["text"][s:e]):
                streets += 1
                hit += _covered((s, e), masks)
    return hit / max(streets, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", help="the folder holding cluener2020/ (default ../shared/data)")
    parser.add_argument("--write", action="store_true", help="store the fitted combination")
    parser.add_argument("--limit", type=int, help="only the first N training sentences (a try)")
    args = parser.parse_args()
    trainable, _ = split(load_rows(data_file(args.data)))
    trainable = trainable[: args.limit] if args.limit else trainable
    records = with_candidates(cached_records(trainable))
    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform([c.features for r in records for c in r["candidates"]])
    y = np.array([label for r in records for label in r["labels"]])
    model = LogisticRegression(C=1.0, max_iter=2000, fit_intercept=False)
    oof = cross_val_predict(model, x, y, cv=5, method="predict_proba")[:, 1]
    per_record, k = [], 0
    for r in records:
        per_record.append(oof[k : k + len(r["candidates"])])
        k += len(r["candidates"])
    print(f"training split: {len(records)} sentences, {len(y)} candidates, {int(y.sum())} names")
    best = (0.0, 1.0)
    for threshold in np.arange(0.30, 0.96, 0.025):
        recall, false = figures(records, per_record, float(threshold))
        print(f"  threshold {threshold:.3f}: names {recall:.3f}, false person masks {false:.3f}")
        if false <= MAX_FALSE and recall > best[0]:
            best = (recall, float(threshold))
    recall, threshold = best
    with_lac, without = street_recall(records, True), street_recall(records, False)
    print(f"chosen threshold {threshold:.3f}: names {recall:.3f} (training split, out of fold)")
    print(f"streets: CRF + rules {without:.3f}, with LAC's places {with_lac:.3f}")
    model.fit(x, y)
    coef = dict(
        zip(vectorizer.get_feature_names_out(), model.coef_[0].round(5).tolist(), strict=True)
    )
    if args.write:
        write(coef, threshold, with_lac > without, recall, len(records))


def write(coef: dict[str, float], threshold: float, lac_addr: bool, recall: float, n: int) -> None:
    card = {
        "source": "CLUENER2020 train split (hemingkx/CLUENER2020 @ 4bfd0b5), training part only",
        "licence": "the data set is published without a licence",
        "command": "python -m evals.train_name_combiner --write",
        "trained": dt.date.today().isoformat(),
        "sentences": n,
        "max_false_person": MAX_FALSE,
        "training_split_names_out_of_fold": round(recall, 4),
        "threshold": round(threshold, 4),
        "lac_addresses": lac_addr,
        "coef": coef,
    }
    WEIGHTS_FILE.write_text(json.dumps(card, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {WEIGHTS_FILE}")


if __name__ == "__main__":
    main()
