"""Train the CRF that tags Chinese names and addresses: `python -m evals.train_ner [--write]`.

Data: CLUENER2020's training split (hemingkx/CLUENER2020 @ 4bfd0b5), read from
``../shared/data/cluener2020/train.json`` (or ``--data``), never copied. A fixed, seeded 15 % of
its sentences (by a hash of the text, so duplicates fall on one side) is held out: never trained
on, and what ``evals.pii_bench`` reports. Of the rest, another hashed 10 % is the development
part that picks the regularisation; the written model is then trained on all of the 85 %.

Only ``name`` (→ PER) and ``address`` (→ ADDR) are learned; every other entity (companies,
organisations, positions, books…) is an O, which is what teaches the model that 浙商银行 and
研究部主任 are not names. Chat-like sentences built from training-part names and addresses
(我叫…, 帮我查一下…的账户, 找…, a name alone on a line, 家庭住址…) are added, because news
sentences rarely put a name where a client does. ``--write`` stores the model and its card in
``assistant/redaction/models/``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pycrfsuite

from assistant.redaction.crf_ner import (
    META_FILE,
    MODEL_FILE,
    CrfTagger,
    bio_spans,
    char_features,
    doc_tokens,
)
from assistant.redaction.lac_ner import LacWord, default_lac
from assistant.redaction.nlp_engine import OfflineNlpEngine
from assistant.redaction.normalize import normalize
from assistant.redaction.recognizers.zh_ner import is_street_level
from evals.pii_bench import bucket, data_file, gold_spans, is_heldout, load_rows

DEV_PER_MILLE = 100
KINDS = {"name": "PER", "address": "ADDR"}
C_GRID = ((0.05, 0.01),)
Example = tuple[str, list[str]]


def split(rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(trainable, held out)."""
    return [r for r in rows if not is_heldout(r["text"])], [
        r for r in rows if is_heldout(r["text"])
    ]


def tags_for(text: str, spans: list[tuple[str, int, int]]) -> Example:
    """The folded text (as the redactor sees it) and its BIO tags."""
    folded = normalize(text)
    original = ["O"] * len(text)
    for label, start, end in spans:
        original[start] = f"B-{label}"
        for i in range(start + 1, end):
            original[i] = f"I-{label}"
    tags, previous = [], -1
    for i in folded.origin:
        tag = original[i]
        tags.append("I" + tag[1:] if tag.startswith("B-") and i == previous else tag)
        previous = i
    return folded.text, tags


def examples(rows: list[dict[str, Any]]) -> list[Example]:
    return [
        tags_for(r["text"], [(lab, s, e) for k, lab in KINDS.items() for s, e in gold_spans(r, k)])
        for r in rows
    ]


_NAME_TEMPLATES = (
    "我叫{n}",
    "你好我是{n}",
    "姓名：{n}",
    "帮我查一下{n}的账户",
    "我想找{n}",
    "请让{n}给我回电话",
    "{n}",
    "我妈{n}的账户也要改",
    "我老公叫{n}，他的基金怎么赎回",
    "联系人{n}",
    "{n}\n手机号换了",
    "麻烦转告{n}",
    "是{n}帮我开的户",
    "我帮我爸{n}问一下",
    "{n}说可以撤单",
    "客户{n}来电咨询",
)
_ADDRESS_TEMPLATES = (
    "家庭住址{a}",
    "我住在{a}",
    "地址：{a}",
    "对账单寄到{a}",
    "收货地址改成{a}吧",
    "{a}",
)


def chat_examples(
    rows: list[dict[str, Any]], seed: int = 7, per_template: int = 60
) -> list[Example]:
    """Client-style sentences around training-part names and street-level addresses."""
    rng = random.Random(seed)
    names = sorted({r["text"][s:e] for r in rows for s, e in gold_spans(r, "name")})
    addresses = sorted(
        {
            r["text"][s:e]
            for r in rows
            for s, e in gold_spans(r, "address")
            if is_street_level(r["text"][s:e])
        }
    )
    out = []
    for templates, pool, label in (
        (_NAME_TEMPLATES, names, "PER"),
        (_ADDRESS_TEMPLATES, addresses, "ADDR"),
    ):
        for template in templates:
            for value in rng.sample(pool, min(per_template, len(pool))):
                key = "{n}" if label == "PER" else "{a}"
                start = template.index(key)
                text = template.replace(key, value)
                out.append(tags_for(text, [(label, start, start + len(value))]))
    return out


class Featurizer:
    """Features of a folded text under presidio's own jieba segmentation (and, with ``lac``,
    LAC's words: the stacked CRF)."""

    def __init__(self, lac: bool = False) -> None:
        engine = OfflineNlpEngine(languages=("zh",))
        engine.load()
        self._nlp = engine.nlp["zh"]  # type: ignore[index]
        self.lac = default_lac() if lac else None

    def tokens(self, text: str) -> list[tuple[int, int]]:
        return doc_tokens(self._nlp.make_doc(text))

    def lac_words(self, text: str) -> list[LacWord] | None:
        return self.lac.words(text) if self.lac is not None else None

    def __call__(self, text: str) -> list[list[str]]:
        return char_features(text, self.tokens(text), self.lac_words(text))


def train(data: list[Example], featurize: Featurizer, model: Path, c1: float, c2: float) -> float:
    trainer = pycrfsuite.Trainer(verbose=False)
    for text, tags in data:
        trainer.append(featurize(text), tags)
    trainer.set_params(
        {"c1": c1, "c2": c2, "max_iterations": 150, "feature.possible_transitions": True}
    )
    started = time.perf_counter()
    trainer.train(str(model))
    return time.perf_counter() - started


def entity_f1(tagger: CrfTagger, featurize: Featurizer, data: list[Example]) -> dict[str, float]:
    """Exact-span precision, recall and F1 of PER and ADDR on ``data``."""
    counts = {label: [0, 0, 0] for label in ("PERSON", "ADDRESS")}  # tp, predicted, gold
    for text, tags in data:
        gold = {(_LABEL[lab], s, e) for lab, s, e in bio_spans(tags)}
        found = {
            (sp.entity_type, sp.start, sp.end)
            for sp in tagger.spans(text, featurize.tokens(text), featurize.lac_words(text))
        }
        for label in counts:
            g = {x for x in gold if x[0] == label}
            f = {x for x in found if x[0] == label}
            counts[label][0] += len(g & f)
            counts[label][1] += len(f)
            counts[label][2] += len(g)
    scores = {}
    for label, (tp, pred, gold_n) in counts.items():
        p, r = tp / max(pred, 1), tp / max(gold_n, 1)
        scores[f"{label}_precision"], scores[f"{label}_recall"] = p, r
        scores[f"{label}_f1"] = 2 * p * r / max(p + r, 1e-9)
    return scores


_LABEL = {"PER": "PERSON", "ADDR": "ADDRESS"}


def development_runs(
    trainable: list[dict[str, Any]], featurize: Featurizer, tmp: Path
) -> Iterator[tuple[float, float, dict[str, float]]]:
    dev = [r for r in trainable if bucket(r["text"], "dev") < DEV_PER_MILLE]
    fit = [r for r in trainable if bucket(r["text"], "dev") >= DEV_PER_MILLE]
    data = examples(fit) + chat_examples(fit)
    for c1, c2 in C_GRID:
        seconds = train(data, featurize, tmp, c1, c2)
        scores = entity_f1(CrfTagger(tmp), featurize, examples(dev))
        print(
            f"c1={c1} c2={c2}: trained in {seconds:.0f}s; dev "
            + ", ".join(f"{k} {v:.3f}" for k, v in scores.items())
        )
        yield c1, c2, scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", help="the folder holding cluener2020/ (default ../shared/data)")
    parser.add_argument(
        "--write", action="store_true", help="store the model in assistant/redaction/models/"
    )
    parser.add_argument(
        "--c1", type=float, help="skip the development runs: use this c1 (with --c2)"
    )
    parser.add_argument("--c2", type=float)
    args = parser.parse_args()
    source = data_file(args.data)
    trainable, heldout = split(load_rows(source))
    print(f"{source}: {len(trainable)} sentences to train on, {len(heldout)} held out")
    featurize = Featurizer()
    cache = Path(os.environ.get("FA_CACHE", "/tmp")) / "zh_ner.dev.crfsuite"
    if args.c1 is None:
        runs = list(development_runs(trainable, featurize, cache))
        c1, c2, _ = max(runs, key=lambda run: run[2]["PERSON_f1"] + run[2]["ADDRESS_f1"])
    else:
        c1, c2 = args.c1, args.c2 or 0.01
    target = MODEL_FILE if args.write else cache.with_suffix(".final.crfsuite")
    seconds = train(examples(trainable) + chat_examples(trainable), featurize, target, c1, c2)
    heldout_scores = entity_f1(CrfTagger(target), featurize, examples(heldout))
    print(f"final c1={c1} c2={c2}: trained in {seconds:.0f}s on {len(trainable)} sentences + chat")
    print("held out (exact spans): " + ", ".join(f"{k} {v:.3f}" for k, v in heldout_scores.items()))
    if args.write:
        write_card(c1, c2, len(trainable), len(heldout), heldout_scores)


def write_card(
    c1: float,
    c2: float,
    trained: int,
    held_out: int,
    scores: dict[str, float],
    thresholds: dict[str, float] | None = None,
) -> None:
    """The model's card beside it: source, licence, command, figures, thresholds, digest."""
    meta = {
        "source": "CLUENER2020 train split, hemingkx/CLUENER2020 @ 4bfd0b5, BERT-CRF/data/clue/train.json",
        "licence": "the data set is published without a licence",
        "command": "python -m evals.train_ner --write",
        "trained": dt.date.today().isoformat(),
        "c1": c1,
        "c2": c2,
        "sentences_trained": trained,
        "sentences_held_out": held_out,
        "heldout_exact_span": {k: round(v, 4) for k, v in scores.items()},
        "thresholds": thresholds or {"PER": 0.5, "ADDR": 0.5},
        "sha256": hashlib.sha256(MODEL_FILE.read_bytes()).hexdigest(),
    }
    META_FILE.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {MODEL_FILE} ({MODEL_FILE.stat().st_size // 1024} KB) and {META_FILE.name}")


if __name__ == "__main__":
    main()
