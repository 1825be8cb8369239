"""A fine-tuned e5 reader run by onnxruntime: the network exported in memory at load.

For a short message torch's per-operator overhead is most of the cost (an emotion read took
~21 ms at p95 in torch, ~9 ms in onnxruntime). The graph starts after the word-piece lookup:
the 250k-row table (384 MB) stays outside it, one copy shared by every e5 reader of the process,
and the caller passes the looked-up vectors. One text a call, unpadded, so no attention mask;
transformers' own mask building is left out of the graph, which is also what makes the legacy
exporter's graph equal to torch's (with the mask inside, its output differed by up to 0.9).

A reader may ask for int8 weights (``int8_except``): onnxruntime's dynamic quantization, per
output channel, activations quantized per call. On this CPU it halves a 4-layer tagger's time,
but where a matrix reads activations with outlier dimensions (e5's feed-forward input, right
after a LayerNorm) 8 bits cost accuracy, so the caller names the matrices that stay float.
"""

from __future__ import annotations

import io
import tempfile
import warnings
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import torch
from onnxruntime.quantization import QuantType, quant_pre_process, quantize_dynamic

from assistant.encoder.model import E5Encoder


class TokenStates(torch.nn.Module):
    """e5's token states for one text, from its word-piece vectors (position 0 upward)."""

    def __init__(self, encoder: E5Encoder) -> None:
        super().__init__()
        self.model = encoder.model

    def forward(self, vectors: torch.Tensor) -> torch.Tensor:
        embeddings = self.model.embeddings
        hidden = vectors + embeddings.position_embeddings.weight[: vectors.shape[1]][None]
        hidden = embeddings.LayerNorm(hidden + embeddings.token_type_embeddings.weight[0])
        for layer in self.model.encoder.layer:
            out = layer(hidden)
            hidden = out[0] if isinstance(out, tuple) else out
        return hidden


def word_vectors(encoder: E5Encoder, ids: list[int]) -> np.ndarray:
    """The [1, pieces, 384] input of a reader's network: the shared table's rows for `ids`."""
    table = encoder.model.embeddings.word_embeddings.weight.detach().numpy()
    return table[ids][None]


def onnx_session(
    network: torch.nn.Module, example: np.ndarray, int8_except: tuple[str, ...] | None = None
) -> ort.InferenceSession:
    """`network` (word vectors → one output) exported and loaded for one thread; with
    ``int8_except``, every weight matrix whose node name contains none of those parts is int8."""
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the legacy exporter's deprecation and trace notes
        torch.onnx.export(
            network,
            (torch.from_numpy(example),),
            buffer,  # type: ignore[arg-type]  # the legacy exporter takes a file object
            dynamo=False,
            input_names=["vectors"],
            output_names=["output"],
            dynamic_axes={"vectors": {1: "pieces"}, "output": {1: "pieces"}},
            opset_version=17,
        )
    graph = buffer.getvalue() if int8_except is None else int8(buffer.getvalue(), int8_except)
    options = ort.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    return ort.InferenceSession(graph, options, providers=["CPUExecutionProvider"])


def int8(graph: bytes, keep_float: tuple[str, ...]) -> bytes:
    """The graph with its constant-weight MatMuls int8 (per channel; activations dynamic),
    except the nodes whose names contain a part of ``keep_float``."""
    model = onnx.load_from_string(graph)
    kept = [
        n.name
        for n in model.graph.node
        if n.op_type == "MatMul" and any(part in n.name for part in keep_float)
    ]
    with tempfile.TemporaryDirectory() as folder:
        typed, out = Path(folder) / "typed.onnx", Path(folder) / "int8.onnx"
        # shape inference types every tensor, as the quantizer needs (no graph rewriting, so
        # the node names stay the exporter's)
        quant_pre_process(model, typed, skip_optimization=True, skip_symbolic_shape=True)
        quantize_dynamic(
            typed,
            out,
            per_channel=True,
            weight_type=QuantType.QInt8,
            nodes_to_exclude=kept,
        )
        return out.read_bytes()


def run(
    session: ort.InferenceSession | None,
    network: torch.nn.Module,
    vectors: np.ndarray,
    engine: str,
) -> np.ndarray:
    """The network's output for one text: by onnxruntime, or by torch (`engine` "torch", which
    the tests compare it with)."""
    if engine == "onnx" and session is not None:
        return np.asarray(session.run(None, {"vectors": vectors})[0][0])
    with torch.inference_mode():
        return np.asarray(network(torch.from_numpy(vectors))[0].numpy())
