"""How the understand step reads real people's text: `python -m evals.realtext_bench`.

    python -m evals.realtext_bench [--e5 N] [--errors K]

Held-out figures first, on splits no model or rule was trained or tuned on (see
`evals/realtext_data.py`): real Weibo posts (SMP2020-EWECT) for emotion and scope, real Baidu
Zhidao questions (LCQMC) for scope. Then the dev figures on the team's routing set. The emotion
labels of the Weibo posts map to ours as angry → angry, fear → anxious, sad → negative,
neutral / happy / surprise → neutral.

By default the understander runs without the e5 embedder (the emotion and scope models read the
text itself; the signal model is then off). `--e5 N` also runs it with e5 on a seeded sample of
N posts and N questions (`--e5 5000`: all of them), vectors cached under $FA_REALTEXT_CACHE
(default /work/cache/realtext; embedding is the slow part: ~0.06 s a text on an idle core). With
e5 the emotion model reads the vector too (text and e5 stacked, as in the service).
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Sequence

from assistant.prompts import PROMPTS_DIR
from assistant.understanding import Understander, Understanding
from assistant.vocabulary import HANDOFF_EMOTIONS
from evals.realtext_data import (
    MONEY_ELSEWHERE,
    ROOT,
    Text,
    VectorCache,
    embed_missing,
    lcqmc_held_out,
    sample,
    team_questions,
    team_routing,
    weibo_held_out,
)

RULES_DIR = PROMPTS_DIR / "understanding"
DEV = ROOT / "evals" / "datasets" / "routing.jsonl"
OURS = {
    "angry": "angry",
    "fear": "anxious",
    "sad": "negative",
    "neutral": "neutral",
    "happy": "neutral",
    "surprise": "neutral",
}
EMOTION_THRESHOLD = 0.5  # the gate's default FA_GATE__EMOTION_THRESHOLD


def routed_for_emotion(u: Understanding) -> bool:
    """The gate's emotion rule: strong anger or anxiety about something we serve."""
    return (
        u.emotion.label in HANDOFF_EMOTIONS
        and u.emotion.score >= EMOTION_THRESHOLD
        and u.signal("out_of_scope") is None
    )


def escalates(u: Understanding) -> bool:
    return bool(u.signals) or routed_for_emotion(u)


def _share(flags: Sequence[bool]) -> str:
    return f"{sum(flags) / max(len(flags), 1):.3f} ({sum(flags)}/{len(flags)})"


def emotion_report(rows: list[Text], read: list[Understanding]) -> list[str]:
    by_class: dict[str, list[str]] = {}
    for row, u in zip(rows, read, strict=True):
        by_class.setdefault(row.label, []).append(u.emotion.label)
    lines = ["emotion, per SMP class: recall of our label | labels read"]
    for smp in ("angry", "fear", "sad", "neutral", "happy", "surprise"):
        labels = by_class.get(smp, [])
        counts = Counter(labels)
        lines.append(
            f"  {smp:<8} → {OURS[smp]:<8} {_share([x == OURS[smp] for x in labels])}"
            f"  | {dict(counts.most_common())}"
        )
    angry = by_class.get("angry", [])
    fear = by_class.get("fear", [])
    calm = by_class.get("neutral", []) + by_class.get("happy", [])
    lines += [
        f"  TARGET real anger read as angry or negative (≥ 0.80): "
        f"{_share([x in ('angry', 'negative') for x in angry])}",
        f"  TARGET real fear read as anxious (≥ 0.70):            "
        f"{_share([x == 'anxious' for x in fear])}",
        f"  TARGET calm or happy read as angry or anxious (≤ 0.05): "
        f"{_share([x in ('angry', 'anxious') for x in calm])}",
    ]
    routed = Counter(row.label for row, u in zip(rows, read, strict=True) if routed_for_emotion(u))
    totals = Counter(row.label for row in rows)
    lines.append(
        "  handed off for emotion (strong angry/anxious, in scope): "
        + ", ".join(f"{k} {routed[k]}/{totals[k]}" for k in OURS)
    )
    return lines


def scope_report(name: str, rows: list[Text], read: list[Understanding]) -> str:
    inside = [u.signal("out_of_scope") is None for u in read]
    return f"  {name:<52} classed in scope: {_share(inside)}"


def understand_all(
    understander: Understander, texts: Sequence[str], e5: bool
) -> list[Understanding]:
    if not e5:
        return [understander.understand(t) for t in texts]
    cache = VectorCache()
    vectors = cache.matrix(texts)
    return [
        understander.understand(t, query_vector=v.tolist())
        for t, v in zip(texts, vectors, strict=True)
    ]


def held_out(understander: Understander, weibo: list[Text], lcqmc: list[Text], e5: bool) -> None:
    read_w = understand_all(understander, [r.text for r in weibo], e5)
    read_q = understand_all(understander, [r.text for r in lcqmc], e5)
    for line in emotion_report(weibo, read_w):
        print(line)
    print("scope")
    print(scope_report(f"Weibo posts ({len(weibo)})", weibo, read_w))
    print(scope_report(f"LCQMC questions ({len(lcqmc)})", lcqmc, read_q))
    money = [(r, u) for r, u in zip(lcqmc, read_q, strict=True) if MONEY_ELSEWHERE.search(r.text)]
    print(
        scope_report(
            f"LCQMC loan/credit/bank questions ({len(money)})",
            [r for r, _ in money],
            [u for _, u in money],
        )
    )


def dev(understander: Understander, e5: bool) -> None:
    rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line]
    if e5:
        embed_missing([r["text"] for r in rows])
    read = understand_all(understander, [r["text"] for r in rows], e5)
    should = [escalates(u) for r, u in zip(rows, read, strict=True) if r["reasons"]]
    calm = [
        not escalates(u)
        for r, u in zip(rows, read, strict=True)
        if "calm_alarming" in r.get("tags", [])
    ]
    angry_in_scope = [
        routed_for_emotion(u)
        for r, u in zip(rows, read, strict=True)
        if {"angry", "anxious"} & set(r["reasons"])
    ]
    print(f"dev routing set ({DEV.name}, {len(rows)} messages; the team's own text)")
    print(f"  escalation recall (≥ 0.98):                {_share(should)}")
    print(f"  calm with alarming words answered (≥ 0.95): {_share(calm)}")
    print(f"  angry/anxious messages handed off for emotion: {_share(angry_in_scope)}")
    if e5:
        return  # embedding the team's 2,800 messages takes too long for a benchmark
    team = [r for r in [*team_routing(), *team_questions()] if r.label == "in_scope"]
    read_t = understand_all(understander, [r.text for r in team], False)
    out = [u.signal("out_of_scope") is not None for u in read_t]
    print(
        f"  team in-scope messages classed out of scope (all {len(team)}; trained on): {_share(out)}"
    )
    scope = understander.signals.scope
    if scope is not None:
        held = scope.model.spec.figures.get("cv_team_in_scope_out")
        print(f"  the same, held out by grouped cross-validation (scope model card): {held}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--e5", type=int, default=0, help="also run with e5 on N sampled texts")
    args = parser.parse_args()
    rules_only = Understander(RULES_DIR)
    print(f"== held out, real text; {rules_only.rules.version} without e5")
    weibo, lcqmc = weibo_held_out(), lcqmc_held_out()
    held_out(rules_only, weibo, lcqmc, e5=False)
    if args.e5:
        from assistant.index.embeddings import E5_SMALL, load_embedder

        with_e5 = Understander(RULES_DIR, load_embedder(E5_SMALL))
        weibo_s, lcqmc_s = sample(weibo, args.e5, "bench-w"), sample(lcqmc, args.e5, "bench-q")
        embed_missing([r.text for r in [*weibo_s, *lcqmc_s]])
        print(f"== held out, real text, {len(weibo_s)} posts + {len(lcqmc_s)} questions, with e5")
        held_out(with_e5, weibo_s, lcqmc_s, e5=True)
        print("== dev, with e5")
        dev(with_e5, e5=True)
    print("== dev, without e5")
    dev(rules_only, e5=False)


if __name__ == "__main__":
    main()
