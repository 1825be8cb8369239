"""Fit how the CRFs and LAC combine: `python -m evals.train_name_combiner [--write]`.

Data: CLUENER2020's training split only (the part ``evals.train_ner`` trains the CRF on;
the held-out 15 % is never read here). The shipped CRFs have seen every training sentence, so
their marginals there are overconfident; the regression instead reads out-of-fold CRFs: the
training split is halved by a hash of the text, the CRF and the stacked CRF
(``evals.train_ner_stacked``) are trained on each half (same features and regularisation as
the shipped ones, cached in ``$FA_CACHE``) and tag the other half. LAC never saw CLUENER.

For every candidate name (``name_features.candidates``) the label is whether it overlaps a
gold name. A logistic regression is fitted; its threshold is the one with the highest name
recall (gold names wholly masked, by the rule recognizers or the models) at no more than
``MAX_FALSE`` of the sentences without a name given a PERSON mask (rules included), read from
5-fold cross-validated probabilities. With ``--e5`` the Latin-name regression
(``evals.train_latin_names``, its C from its card) is cross-validated on the same sentences
and its threshold chosen together with this one: its masks count in the same budget (until
session 13 each had its own, and together they reached 3 %). The CRF's address thresholds and whether LAC's LOC
words join the address spans are chosen on the same out-of-fold sentences: the most
street-level addresses wholly masked with at most ``MAX_FALSE_ADDRESS`` of the sentences given
a model address that overlaps no gold address. ``--e5 DIR`` adds e5 fine-tuned as a tagger
(``evals.train_ner_e5``): its out-of-fold per-character probabilities on the same two halves
(``python -m evals.train_ner_e5 --fold 0`` and ``--fold 1``, pickled in DIR) give candidates
and features, and its addresses (at a threshold chosen alike) join the others. ``--write`` stores the coefficients and those
choices in ``assistant/redaction/models/name_combiner.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import pickle
from pathlib import Path
from typing import Any

import jieba
import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import cross_val_predict

from assistant.company import load_company_profile
from assistant.redaction import Redactor
from assistant.redaction.crf_ner import MODEL_FILE, CrfTagger, Span, model_meta
from assistant.redaction.lac_ner import default_lac
from assistant.redaction.latin_names import WEIGHTS_FILE as LATIN_FILE
from assistant.redaction.name_combiner import (
    STACKED_LABELS,
    WEIGHTS_FILE,
    Candidate,
    candidates,
    e5_addresses,
    lac_addresses,
)
from assistant.redaction.recognizers import ALL_RECOGNIZERS
from assistant.redaction.recognizers.zh_ner import (
    ZhNerRecognizer,
    is_name_like,
    is_street_level,
    whole_addresses,
    with_alias,
)
from assistant.settings import RedactionSettings
from evals.pii_bench import ROOT, bucket, data_file, gold_spans
from evals.pii_bench import is_street_level as gold_street
from evals.train_ner import Featurizer, chat_examples, examples, load_rows, split, train
from evals.train_ner_stacked import train_stacked

MAX_FALSE = 0.028  # rules, the combiner and the Latin-name regression together
LATIN_GRID = tuple(round(0.5 + 0.02 * k, 2) for k in range(25))  # the Latin regression's
MAX_FALSE_ADDRESS = 0.02  # sentences given a street-level model address overlapping no gold one
ADDRESS_GRID = ((0.5, 0.5), (0.4, 0.3), (0.3, 0.2), (0.2, 0.1))  # the CRF's ADDR seed, extend
E5_ADDRESS_GRID = (None, 0.7, 0.5, 0.3, 0.2)  # e5's address threshold (None: e5's addresses unused)
Row = dict[str, Any]


def fold_of(text: str) -> int:
    return bucket(text, "fold") % 2


def fold_crfs(
    trainable: list[Row], featurize: Featurizer, cache: Path
) -> list[tuple[CrfTagger, CrfTagger]]:
    """Per fold, the CRF and the stacked CRF trained on the half of the split it does not tag."""
    meta = model_meta()
    out = []
    for k in (0, 1):
        fit = [r for r in trainable if fold_of(r["text"]) != k]
        path, stacked = cache / f"crf_fold{k}.crfsuite", cache / f"stacked_fold{k}.crfsuite"
        if not path.exists():
            train(examples(fit) + chat_examples(fit), featurize, path, meta["c1"], meta["c2"])  # type: ignore[arg-type]
        if not stacked.exists():
            train_stacked(fit, stacked)
        crf = CrfTagger(path, meta["thresholds"], meta["extend"])  # type: ignore[arg-type]
        out.append((crf, CrfTagger(stacked)))
    return out


def rules_only() -> Redactor:
    company = load_company_profile(None, ROOT / "knowledge_docs")
    recognizers = tuple(
        r for r in ALL_RECOGNIZERS if not (isinstance(r, type) and issubclass(r, ZhNerRecognizer))
    )
    return Redactor(company.redaction_settings(RedactionSettings()), recognizers=recognizers)


def sentence_records(trainable: list[Row]) -> list[dict[str, Any]]:
    """Per sentence: both out-of-fold CRFs' marginals, LAC's words and places, the rules'
    masks."""
    featurize = Featurizer()
    cache = Path(os.environ.get("FA_CACHE", "/tmp"))
    crfs, lac, rules = fold_crfs(trainable, featurize, cache), default_lac(), rules_only()
    records = []
    for row in trainable:
        text = row["text"]
        tokens = featurize.tokens(text)
        crf, stacked = crfs[fold_of(text)]
        tags, probs = crf.probabilities(text, tokens)
        words = lac.words(text)
        masks = rules.find(text)
        records.append(
            {
                "row": row,
                "tags": tags,
                "per": probs["PER"],
                "addr": probs["ADDR"],
                "stacked": stacked.probabilities(text, tokens, words, STACKED_LABELS)[1],
                "words": words,
                "lac_addresses": lac_addresses(text, words),
                "rule_spans": [(m.start, m.end) for m in masks],
                "rule_person": any(m.entity_type == "PERSON" for m in masks),
            }
        )
    return records


def with_candidates(records: list[dict[str, Any]], stacked: bool = True) -> list[dict[str, Any]]:
    """Each record with its candidate names and their labels (overlaps a gold name)."""
    for r in records:
        names = gold_spans(r["row"], "name")
        found: list[Candidate] = candidates(
            r["row"]["text"],
            r["words"],
            r["per"],
            r["stacked"] if stacked else None,
            None,
            r.get("e5"),
        )
        r["candidates"] = found
        r["labels"] = [any(s < c.end and c.start < e for s, e in names) for c in found]
    return records


def cached_records(trainable: list[Row]) -> list[dict[str, Any]]:
    """The per-sentence model outputs, cached in ``$FA_CACHE`` (they take minutes)."""
    name = f"name_combiner_records_v2_{len(trainable)}.pkl"
    cache = Path(os.environ.get("FA_CACHE", "/tmp")) / name
    if cache.exists():
        return pickle.loads(cache.read_bytes())  # type: ignore[no-any-return]
    records = sentence_records(trainable)
    cache.write_bytes(pickle.dumps(records))
    return records


def _covered(span: tuple[int, int], masks: list[tuple[int, int]]) -> bool:
    return all(any(s <= i < e for s, e in masks) for i in range(*span))


def model_addresses(
    record: dict[str, Any], crf: CrfTagger, with_lac: bool = True, e5: float | None = None
) -> list[tuple[int, int]]:
    """Street-level address spans as the recognizer makes them: the CRF's (decoded at
    ``crf``'s thresholds), LAC's and e5's (at ``e5``), merged where they touch, then kept
    if street-level."""
    text = record["row"]["text"]
    probs = {"PER": record["per"], "ADDR": record["addr"]}
    spans = [
        Span("ADDRESS", s.start, s.end, s.score)
        for s in crf.decode(text, record["tags"], probs)
        if s.entity_type == "ADDRESS"
    ]
    if with_lac:
        spans += [Span("ADDRESS", s, e, 0.5) for s, e in record["lac_addresses"]]
    if e5 is not None and "e5" in record:
        spans += [Span("ADDRESS", s, e, 0.5) for s, e in e5_addresses(record["e5"], e5)]
    tokens = [(s, e) for _, s, e in jieba.tokenize(text)]
    whole = whole_addresses(text, spans, tokens)
    return [(s.start, s.end) for s in whole if is_street_level(text[s.start : s.end])]


def figures(
    records: list[dict[str, Any]],
    probs: list[np.ndarray],
    threshold: float,
    latin_threshold: float = 1.01,
) -> tuple[float, float]:
    """(names wholly masked, share of name-less sentences with a PERSON mask): the rules',
    the candidates the recognizer would keep at ``threshold`` and the Latin words at
    ``latin_threshold`` (each record's ``latin``: cross-validated (start, end, p)), each
    carried over a Latin alias in brackets as the recognizer does."""
    names = hit = no_name = false = 0
    for record, p in zip(records, probs, strict=True):
        text = record["row"]["text"]
        kept = [
            (c.start, c.end)
            for c, q in zip(record["candidates"], p, strict=True)
            if q >= threshold and is_name_like(text[c.start : c.end])
        ]
        kept += [(s, e) for s, e, q in record.get("latin", ()) if q >= latin_threshold]
        kept = [(s, with_alias(text, Span("PERSON", s, e, 1.0)).end) for s, e in kept]
        masks = record["rule_spans"] + kept + record["addresses"]
        gold = gold_spans(record["row"], "name")
        names += len(gold)
        hit += sum(_covered(g, masks) for g in gold)
        if not gold:
            no_name += 1
            false += record["rule_person"] or bool(kept)
    return hit / max(names, 1), false / max(no_name, 1)


def address_figures(
    records: list[dict[str, Any]], crf: CrfTagger, with_lac: bool, e5: float | None = None
) -> tuple[float, float]:
    """(street-level addresses wholly masked, share of sentences given a model address that
    overlaps no gold address), each record's ``addresses`` set as a side effect."""
    streets = hit = false = 0
    for r in records:
        text = r["row"]["text"]
        r["addresses"] = model_addresses(r, crf, with_lac, e5)
        gold = gold_spans(r["row"], "address")
        false += any(not any(s < b and a < e for s, e in gold) for a, b in r["addresses"])
        for s, e in gold:
            if gold_street(text[s:e]):
                streets += 1
                hit += _covered((s, e), r["rule_spans"] + r["addresses"])
    return hit / max(streets, 1), false / max(len(records), 1)


def choose_addresses(
    records: list[dict[str, Any]], crf: CrfTagger, use_e5: bool = False
) -> tuple[float, float, bool, float | None]:
    """(ADDR seed, extend, LAC's places on, e5's address threshold) with the most streets
    masked at no more than ``MAX_FALSE_ADDRESS``; leaves each record's ``addresses`` at that
    choice."""
    best: tuple[float, float, float, bool, float | None] = (-1.0, 0.5, 0.5, True, None)
    for seed, extend in ADDRESS_GRID:
        for with_lac in (False, True):
            for e5 in E5_ADDRESS_GRID if use_e5 else (None,):
                decoder = crf.with_thresholds("ADDR", seed, extend)
                recall, false = address_figures(records, decoder, with_lac, e5)
                print(
                    f"  address seed {seed} extend {extend} LAC {with_lac} e5 {e5}:"
                    f" streets {recall:.3f}, sentences with a model address off any gold"
                    f" address {false:.3f}"
                )
                if false <= MAX_FALSE_ADDRESS and recall > best[0]:
                    best = (recall, seed, extend, with_lac, e5)
    recall, seed, extend, with_lac, e5 = best
    address_figures(records, crf.with_thresholds("ADDR", seed, extend), with_lac, e5)
    print(
        f"chosen addresses: seed {seed}, extend {extend}, LAC {with_lac}, e5 {e5}: streets {recall:.3f}"
    )
    return seed, extend, with_lac, e5


def with_e5(records: list[dict[str, Any]], folder: Path) -> list[dict[str, Any]]:
    """Each record with e5's out-of-fold per-character probabilities (``--e5``)."""
    oof: dict[str, Any] = {}
    for k in (0, 1):
        oof |= pickle.loads((folder / f"oof_e5_fold{k}.pkl").read_bytes())
    for r in records:
        r["e5"] = oof[r["row"]["text"]]
    return records


def out_of_fold(records: list[dict[str, Any]]) -> tuple[LogisticRegression, Any, list[Any]]:
    """The regression, its design matrix's vectorizer, and 5-fold out-of-fold probabilities
    of every record's candidates."""
    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform([c.features for r in records for c in r["candidates"]])
    y = np.array([label for r in records for label in r["labels"]])
    model = LogisticRegression(C=1.0, max_iter=3000, fit_intercept=False)
    oof = cross_val_predict(model, x, y, cv=5, method="predict_proba")[:, 1]
    print(f"{len(records)} sentences, {len(y)} candidates, {int(y.sum())} names;", end=" ")
    print(f"out-of-fold AUC {roc_auc_score(y, oof):.4f}")
    per_record, k = [], 0
    for r in records:
        per_record.append(oof[k : k + len(r["candidates"])])
        k += len(r["candidates"])
    model.fit(x, y)
    return model, vectorizer, per_record


def with_latin(records: list[dict[str, Any]], folder: Path) -> list[dict[str, Any]]:
    """Each record with its Latin words' cross-validated name probabilities (``latin``), the
    Latin regression at its card's C, e5 read out of fold from ``folder``."""
    from evals.train_latin_names import cross_validated, oof_e5
    from evals.train_latin_names import records as latin_records

    c = float(json.loads(LATIN_FILE.read_text(encoding="utf-8"))["C"])
    recs = latin_records([r["row"] for r in records], oof_e5(folder).__getitem__)
    probs, k = cross_validated(recs, c), 0
    for record, latin in zip(records, recs, strict=True):
        n = len(latin["words"])
        record["latin"] = [
            (s, e, float(q))
            for (s, e, _, _), q in zip(latin["words"], probs[k : k + n], strict=True)
        ]
        k += n
    return records


def choose_threshold(
    records: list[dict[str, Any]], per_record: list[Any], latin: bool = False
) -> tuple[float, float, float | None]:
    """(names wholly masked, threshold, the Latin regression's threshold): the most names at
    <= ``MAX_FALSE`` false masks, both thresholds chosen together (``latin``)."""
    best: tuple[float, float, float | None] = (0.0, 1.0, None)
    for threshold in np.arange(0.30, 0.97, 0.0125):
        here: tuple[float, float, float | None] = (0.0, 1.0, None)
        for latin_threshold in LATIN_GRID if latin else (None,):
            at = 1.01 if latin_threshold is None else latin_threshold
            recall, false = figures(records, per_record, float(threshold), at)
            if false <= MAX_FALSE and recall > here[0]:
                here = (recall, false, latin_threshold)
        print(
            f"  threshold {threshold:.4f}: at most {MAX_FALSE} false, names {here[0]:.3f}", end=""
        )
        print(f" (false {here[1]:.4f}, Latin threshold {here[2]})")
        if here[0] > best[0]:
            best = (here[0], float(threshold), here[2])
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", help="the folder holding cluener2020/ (default ../shared/data)")
    parser.add_argument("--write", action="store_true", help="store the fitted combination")
    parser.add_argument("--limit", type=int, help="only the first N training sentences (a try)")
    parser.add_argument("--no-stacked", action="store_true", help="without the stacked CRF")
    parser.add_argument("--e5", type=Path, help="the folder of e5's out-of-fold probabilities")
    args = parser.parse_args()
    trainable, _ = split(load_rows(data_file(args.data)))
    trainable = trainable[: args.limit] if args.limit else trainable
    records = cached_records(trainable)
    if args.e5:
        records = with_e5(records, args.e5)
    meta = model_meta()
    decoder = CrfTagger(MODEL_FILE, meta["thresholds"], meta["extend"])  # type: ignore[arg-type]
    seed, extend, with_lac, e5_address = choose_addresses(records, decoder, bool(args.e5))
    records = with_candidates(records, stacked=not args.no_stacked)
    if args.e5:
        records = with_latin(records, args.e5)
    model, vectorizer, per_record = out_of_fold(records)
    recall, threshold, latin_threshold = choose_threshold(records, per_record, bool(args.e5))
    _, false = figures(records, per_record, threshold, latin_threshold or 1.01)
    print(
        f"chosen threshold {threshold:.4f}, Latin {latin_threshold}: names {recall:.3f},"
        f" false person masks {false:.4f} (training split, out of fold)"
    )
    coef = dict(
        zip(vectorizer.get_feature_names_out(), model.coef_[0].round(5).tolist(), strict=True)
    )
    if args.write:
        card = {
            "source": "CLUENER2020 train split (hemingkx/CLUENER2020 @ 4bfd0b5), training part only",
            "licence": "the data set is published without a licence",
            "command": "python -m evals.train_name_combiner --write"
            + (" --e5 DIR (evals.train_ner_e5 --fold 0|1)" if args.e5 else ""),
            "trained": dt.date.today().isoformat(),
            "sentences": len(records),
            "max_false_person": MAX_FALSE,
            "training_split_names_out_of_fold": round(recall, 4),
            "threshold": round(threshold, 4),
            "latin_threshold": latin_threshold,
            "stacked": not args.no_stacked,
            "e5": bool(args.e5),
            "e5_address_threshold": e5_address,
            "lac_addresses": with_lac,
            "address_thresholds": {"seed": seed, "extend": extend},
            "coef": coef,
        }
        text = json.dumps(card, ensure_ascii=False, indent=2) + "\n"
        WEIGHTS_FILE.write_text(text, encoding="utf-8")
        print(f"wrote {WEIGHTS_FILE}")


if __name__ == "__main__":
    main()
