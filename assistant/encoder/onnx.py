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
after a LayerNorm) 8 bits cost accuracy, so the caller names the matrices that stay float, or
smooths them first (``smooth``): the SmoothQuant rescaling (Xiao et al., 2023), which divides
each input channel of such a matrix's activations by s and multiplies the matrix's row by s
(s = sqrt(activation max / weight max), the activation maxima measured once on training text
and stored with the model), so that the outlier channels no longer set the whole tensor's 8-bit
scale. The product is unchanged in float; in int8 it loses far less.
"""

from __future__ import annotations

import io
import tempfile
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import onnx
import onnxruntime as ort
import torch
from onnx import helper, numpy_helper
from onnxruntime.quantization import QuantType, quant_pre_process, quantize_dynamic

from assistant.cores import CORES, CoreBudget
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


class BorrowingSession:
    """A network's onnxruntime sessions on one thread and on two: a run takes the second
    thread while the process has an idle core to lend it (`assistant/cores.py`), and runs on
    its own thread otherwise. The two give the same numbers (the tests compare them). The
    two-thread session's second thread spins only within a run (`force_spinning_stop`; a run
    of a 13-piece query 5.4 ms against 4.8 left spinning): left spinning, it would keep the
    core it was lent after the run gave it back."""

    def __init__(self, graph: bytes, budget: CoreBudget = CORES) -> None:
        self.budget = budget
        self.one = _session(graph, threads=1)
        self.two = _session(graph, threads=2) if budget.cores > 1 else None

    def run(self, outputs: list[str] | None, feeds: dict[str, np.ndarray]) -> list[np.ndarray]:
        if self.two is not None:
            with self.budget.borrowed() as lent:
                if lent:
                    return list(self.two.run(outputs, feeds))
        return list(self.one.run(outputs, feeds))


def _session(graph: bytes, threads: int) -> ort.InferenceSession:
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.force_spinning_stop", "1")
    return ort.InferenceSession(graph, options, providers=["CPUExecutionProvider"])


@dataclass(frozen=True)
class Smoothing:
    """Matrices smoothed alike: node-name part → the largest absolute activation of each input
    channel (`input_maxima`), and the share of that range moved into the weights (`alpha`)."""

    maxima: dict[str, list[float]]
    alpha: float = 0.5


def card_smoothing(maxima: dict[str, list[float]] | None) -> list[Smoothing]:
    """A fine-tuned reader's card's ``int8_smooth`` (its feed-forward inputs' maxima, alpha
    0.5) as ``smooth``: none where the card has none."""
    return [Smoothing(maxima)] if maxima else []


def onnx_session(
    network: torch.nn.Module,
    example: np.ndarray,
    int8_except: tuple[str, ...] | None = None,
    smooth: Sequence[Smoothing] = (),
) -> BorrowingSession:
    """`network` (word vectors → one output) exported and loaded (`BorrowingSession`), float
    or as ``quantized`` makes it."""
    return BorrowingSession(quantized(exported(network, example), int8_except, smooth))


def exported(network: torch.nn.Module, example: np.ndarray) -> bytes:
    """`network` as an ONNX graph (one text's word vectors in, one output)."""
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
    return buffer.getvalue()


def quantized(
    graph: bytes, int8_except: tuple[str, ...] | None, smooth: Sequence[Smoothing] = ()
) -> bytes:
    """The graph with ``smooth`` applied in order (``smoothed``: the same products, in float),
    then, with ``int8_except``, every weight matrix whose node name contains none of those
    parts int8."""
    graph = smoothed(graph, smooth) if smooth else graph
    return graph if int8_except is None else int8(graph, int8_except)


# Where each kind of weight matrix of an e5 layer reads its input: the ONNX node-name part of a
# layer's matrices (``{i}`` the layer) and the torch module whose input that is. Attention's query,
# key and value read one input, so one part names all three.
FEED_FORWARD_IN = ("/layer.{i}/intermediate/", lambda layer: layer.intermediate.dense)
FEED_FORWARD_OUT = ("/layer.{i}/output/dense", lambda layer: layer.output.dense)
ATTENTION_IN = ("/layer.{i}/attention/self/", lambda layer: layer.attention.self.query)


def input_maxima(
    states: TokenStates,
    inputs: Iterable[np.ndarray],
    where: tuple[str, Callable[[Any], torch.nn.Linear]] = FEED_FORWARD_IN,
) -> dict[str, list[float]]:
    """What ``smooth`` needs: per layer (keyed by its ONNX node-name part), each input channel's
    largest absolute activation at the matrices `where` names (by default the feed-forward
    input), over `inputs` (word vectors of training texts), run in float."""
    part, module_of = where
    layers = states.model.encoder.layer
    modules = [module_of(layer) for layer in layers]
    maxima = [np.zeros(module.in_features) for module in modules]

    def hook(index: int):  # type: ignore[no-untyped-def]
        def record(_module: torch.nn.Module, inputs: tuple[torch.Tensor, ...]) -> None:
            seen = inputs[0].detach().abs().amax(dim=(0, 1)).numpy()
            maxima[index] = np.maximum(maxima[index], seen)

        return record

    handles = [module.register_forward_pre_hook(hook(i)) for i, module in enumerate(modules)]
    with torch.inference_mode():
        for vectors in inputs:
            states(torch.from_numpy(vectors))
    for handle in handles:
        handle.remove()
    return {part.format(i=i): [float(f"{v:.4g}") for v in m] for i, m in enumerate(maxima)}


def smoothed(graph: bytes, smooth: Sequence[Smoothing]) -> bytes:
    """The graph with the weight MatMuls whose names contain a key of a smoothing's ``maxima``
    fed their input divided per channel by s and their weight rows multiplied by s,
    s = a^alpha / w^(1-alpha) (a: the input channel's activation maximum, w: the weight row's,
    the largest over matrices that read one input, as attention's query, key and value do):
    the same product. The graph is parsed once for all of them (86 MB for the sentence network)."""
    model = onnx.load_from_string(graph)
    weights = {t.name: t for t in model.graph.initializer}
    for smoothing in smooth:
        for part, maxima in smoothing.maxima.items():
            _smooth_matrices(model, weights, part, maxima, smoothing.alpha)
    return model.SerializeToString()


def _smooth_matrices(
    model: onnx.ModelProto,
    weights: dict[str, onnx.TensorProto],
    part: str,
    maxima: list[float],
    alpha: float,
) -> None:
    """`smoothed` for the weight MatMuls named like `part`, in place."""
    nodes = [
        n
        for n in model.graph.node
        if n.op_type == "MatMul" and part in n.name and n.input[1] in weights
    ]
    if not nodes or len({n.input[0] for n in nodes}) != 1:
        raise ValueError(f"smooth: {len(nodes)} MatMul nodes named like {part!r}")
    w = [numpy_helper.to_array(weights[n.input[1]]) for n in nodes]
    row_max = np.max([np.abs(m).max(axis=1) for m in w], axis=0)
    act = np.asarray(maxima, dtype=np.float32)
    s = np.clip(act**alpha / np.maximum(row_max, 1e-5) ** (1 - alpha), 1e-2, 1e3)
    for node, m in zip(nodes, w, strict=True):
        weights[node.input[1]].CopyFrom(
            numpy_helper.from_array((m * s[:, None]).astype(np.float32), node.input[1])
        )
    first = nodes[0]
    scale, scaled = f"{first.name}/smooth_scale", f"{first.name}/smoothed_input"
    model.graph.initializer.append(numpy_helper.from_array((1 / s).astype(np.float32), scale))
    at = min(list(model.graph.node).index(n) for n in nodes)
    mul = helper.make_node("Mul", [first.input[0], scale], [scaled], name=f"{first.name}/smooth")
    model.graph.node.insert(at, mul)
    for node in nodes:
        node.input[0] = scaled


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
    session: BorrowingSession | None,
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
