"""Learn the scope model: `python -m evals.train_scope_model [--write]`.

Positives (in scope): every message and question the team wrote for this service — the answer,
retrieval and ranker sets, the multi-turn questions, and every routing message not labelled
out_of_scope (complaints and angry messages about the service are in scope too) — and the
answerable questions of the other companies' dev sets (kb2, kb4: `OTHER_COMPANIES`). A char
n-gram model learns a company's fund names as in-scope words; trained on one company's questions
it called 5-6 % of another company's fund questions off-topic (全球医疗美元现钞代码). With one
more company's questions beside them, the company left out lost half to three quarters of
those (kb4 5.7 % → 2.8 % with kb2's; kb2 4.8 % → 1.4 % with kb4's) while held-out loan questions
read in scope stayed at 3.9 % and other off-topic text moved from 1.5 % to 1.8-1.9 %
(`/work/cache/lead15/scopeexp.py`, session 15). kb3, held out, is never read here. Negatives: the
training splits of the real off-topic text (LCQMC Baidu Zhidao questions, including every
loan/credit/bank one; SMP2020-EWECT Weibo posts; see `evals/realtext_data.py`) and the team's
out_of_scope messages. The held-out splits are never read here.

C and the threshold on P(in scope) are chosen by grouped 5-fold cross-validation (the team's
messages grouped by the file they were written in, so a fold holds out whole sets written at
another time): the threshold that calls the most real off-topic text out of scope while at most
MAX_TEAM_OUT of the team's in-scope messages are called out of scope by the model or the cues
together. `--write` stores the weights and the figures in prompts/understanding/scope_model.v1.json;
the model card is prompts/understanding/README.md.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter

import numpy as np
from sklearn.model_selection import GroupKFold, cross_val_predict

from assistant.prompts import PROMPTS_DIR
from assistant.understanding.cues import CueSet
from assistant.understanding.rules import load_rulebook
from evals.kb2.suite import company
from evals.kb2.validate import load_rows
from evals.realtext_data import (
    CACHE,
    MONEY_ELSEWHERE,
    TEAM_QUESTIONS,
    TEAM_ROUTING,
    lcqmc_train,
    team_questions,
    team_routing,
    team_seeds,
    weibo_train,
)
from evals.realtext_train import digest, fit_and_write, pipeline, reading

OUT = PROMPTS_DIR / "understanding" / "scope_model.v1.json"
C_GRID = (8.0,)  # 2.0 and 8.0 measured in the first run; 8.0 chosen
FOLDS = 3  # 5 cost ~12 minutes on the shared machine
MAX_FEATURES = 20000
THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(1, 17))
MAX_TEAM_OUT = 0.02
OTHER_COMPANIES = ("kb2", "kb4")  # dev sets; kb3 is held out and never trained on


def rows() -> tuple[list[str], list[str], list[str], list[str]]:
    """(texts, labels, kinds, groups)."""
    out: list[tuple[str, str, str, str]] = []
    for r in [*team_routing(), *team_questions(), *team_seeds()]:
        out.append((r.text, r.label, f"team-{r.label}", r.source))
    for name in OTHER_COMPANIES:  # one group a company, so a fold holds a whole company out
        for row in load_rows(company(name).questions):
            out.append((row["question"], "in_scope", "team-in_scope", name))
    for i, r in enumerate(lcqmc_train()):
        kind = "lcqmc-money" if MONEY_ELSEWHERE.search(r.text) else "lcqmc"
        out.append((r.text, "out_of_scope", kind, f"lcqmc-{i % 5}"))
    for i, r in enumerate(weibo_train()):
        out.append((r.text, "out_of_scope", "weibo", f"weibo-{i % 5}"))
    texts, labels, kinds, groups = (list(col) for col in zip(*out, strict=True))
    return [reading(t) for t in texts], labels, kinds, groups


def cue_flags(texts: list[str]) -> np.ndarray:
    """Where the out-of-scope cues alone fire (an override the model cannot undo)."""
    rules = load_rulebook(PROMPTS_DIR / "understanding")
    cues = CueSet.from_spec(rules.signals["out_of_scope"])
    return np.array([cues.score(t).score >= cues.threshold for t in texts])


def figures(p_in: np.ndarray, cues: np.ndarray, kinds: np.ndarray, t: float) -> dict[str, float]:
    inside = (p_in >= t) & ~cues

    def share(kind: str) -> float:
        return round(float(inside[kinds == kind].mean()), 4)

    return {
        "weibo_in_scope": share("weibo"),
        "lcqmc_in_scope": share("lcqmc"),
        "lcqmc_money_in_scope": share("lcqmc-money"),
        "team_out_of_scope_in_scope": share("team-out_of_scope"),
        "team_in_scope_out": round(1 - share("team-in_scope"), 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"store the model in {OUT.name}")
    args = parser.parse_args()
    texts, labels, kind_list, groups = rows()
    kinds = np.array(kind_list)
    print(f"{len(texts)} training texts: {json.dumps(Counter(kind_list))}")
    cues = cue_flags(texts)
    folds = GroupKFold(FOLDS)
    best = None
    for c in C_GRID:
        cached = CACHE / f"scope-cv-{digest(texts, labels)}-{c}.npy"
        if cached.exists():
            held = np.load(cached)
        else:
            held = cross_val_predict(
                pipeline(c, MAX_FEATURES, FOLDS),
                texts,
                labels,
                cv=folds,
                groups=groups,
                method="predict_proba",
            )[:, 0]  # classes sorted: in_scope first
            CACHE.mkdir(parents=True, exist_ok=True)
            np.save(cached, held)
        for t in THRESHOLDS:
            f = figures(held, cues, kinds, t)
            caught = 1 - (f["weibo_in_scope"] + f["lcqmc_in_scope"] + f["lcqmc_money_in_scope"]) / 3
            print(f"C={c} t={t}: {json.dumps(f)}")
            if f["team_in_scope_out"] <= MAX_TEAM_OUT and (best is None or caught > best[0]):
                best = (caught, c, t, f)
    assert best is not None, "no threshold keeps the team's questions in scope"
    _, c, t, chosen = best
    print(f"chosen: C={c}, threshold on P(in scope) {t}")
    print("cross-validated: " + json.dumps(chosen))
    if not args.write:
        return
    fit_and_write(
        OUT,
        "scope-model",
        c,
        MAX_FEATURES,
        FOLDS,
        texts,
        labels,
        thresholds={"in_scope": t},
        trained_on=[
            *TEAM_ROUTING,
            *TEAM_QUESTIONS,
            "evals/datasets/multiturn.jsonl",
            *(f"evals/{name}/questions.jsonl" for name in OTHER_COMPANIES),
            "prompts/understanding/examples.v1.yaml",
            "lcqmc dev.txt (training split, see evals/realtext_data.py)",
            "smp2020-ewect (training split)",
        ],
        figures={f"cv_{k}": v for k, v in chosen.items()} | {"C": c},
    )


if __name__ == "__main__":
    main()
