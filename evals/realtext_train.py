"""What the emotion and scope trainers share: the text a model reads, the scikit-learn pipeline,
and its export to the JSON weights that `assistant/understanding/calibrated.py` runs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from assistant.understanding.calibrated import CalibratedLinear, CalibratedLinearFile
from assistant.understanding.cues import normalise, strip_placeholders
from assistant.understanding.folding import fold
from assistant.understanding.understander import clip

NGRAMS = (1, 3)
MIN_DF = 3


def reading(text: str) -> str:
    """The text the models read, exactly as the understander prepares it."""
    return normalise(strip_placeholders(fold(clip(text))))


def char_tfidf(max_features: int) -> TfidfVectorizer:
    """The character n-gram tf-idf every real-text model reads."""
    return TfidfVectorizer(
        analyzer="char",
        ngram_range=NGRAMS,
        min_df=MIN_DF,
        max_features=max_features,
        sublinear_tf=True,
        lowercase=False,
        dtype=np.float64,
    )


def pipeline(c: float, max_features: int, folds: int = 5) -> Pipeline:
    """char n-gram tf-idf → logistic regression, sigmoid-calibrated on k-fold decisions."""
    return Pipeline(
        [
            ("tfidf", char_tfidf(max_features)),
            (
                "model",
                CalibratedClassifierCV(
                    LogisticRegression(C=c, max_iter=3000, class_weight="balanced"),
                    method="sigmoid",
                    cv=folds,
                    ensemble=False,
                ),
            ),
        ]
    )


def digest(texts: Sequence[str], labels: Sequence[str]) -> str:
    joined = "\n".join(f"{t}\t{y}" for t, y in zip(texts, labels, strict=True))
    return hashlib.sha256(joined.encode()).hexdigest()[:8]


def export(
    fitted: Pipeline, name: str, texts: Sequence[str], labels: Sequence[str], **extra: Any
) -> CalibratedLinearFile:
    """The fitted pipeline as JSON weights; checked against predict_proba on `texts`."""
    tfidf: TfidfVectorizer = fitted.named_steps["tfidf"]
    calibrated = fitted.named_steps["model"].calibrated_classifiers_[0]
    base: LogisticRegression = calibrated.estimator
    vocabulary = sorted(tfidf.vocabulary_, key=tfidf.vocabulary_.__getitem__)
    spec = CalibratedLinearFile(
        version=f"{name}-{dt.date.today():%Y.%m.%d}-{digest(texts, labels)}",
        ngram_range=NGRAMS,
        vocabulary=vocabulary,
        idf=[round(float(v), 5) for v in tfidf.idf_],
        classes=[str(c) for c in fitted.classes_],
        weights=[[round(float(w), 5) for w in row] for row in base.coef_],
        bias=[round(float(b), 6) for b in base.intercept_],
        sigmoid_a=[float(c.a_) for c in calibrated.calibrators],
        sigmoid_b=[float(c.b_) for c in calibrated.calibrators],
        **extra,
    )
    check = list(texts[:300])
    mine = CalibratedLinear(spec).probabilities(check)
    theirs = fitted.predict_proba(check)
    gap = float(np.abs(mine - theirs).max())
    assert gap < 1e-3, f"exported model differs from scikit-learn by {gap}"
    return spec


def fit_and_write(
    out: Path,
    name: str,
    c: float,
    max_features: int,
    folds: int,
    texts: Sequence[str],
    labels: Sequence[str],
    **extra: Any,
) -> None:
    """Fit on all the training data with the chosen C, export it checked, and write it."""
    fitted = pipeline(c, max_features, folds).fit(texts, labels)
    spec = export(fitted, name, texts, labels, **extra)
    out.write_text(spec.model_dump_json() + "\n", encoding="utf-8")
    print(f"wrote {out} ({out.stat().st_size // 1024} KiB), {spec.version}")
