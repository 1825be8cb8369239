"""The e5 tagger's int8 smoothing: `python -m evals.calibrate_ner_e5 [--model FILE] [--write]`.

Why: e5's feed-forward input matrices read a LayerNorm's output, in which a few channels are
10-15 times larger than the rest; with plain int8 those channels set the activation's 8-bit
scale and the others lose their precision, which cost names on the development part, so
session 11 left those matrices float (about 40 % of the tagger's time). SmoothQuant
(``assistant/encoder/onnx.py``) moves that range into the weights, which are quantized per
channel. It needs each channel's largest activation: measured here by the float network on
the first ``--texts`` sentences of the training split's fit part (never the development part,
which judges the result, nor the held-out 15 %, which is never read), written into the card
as ``int8_smooth`` with ``int8_keep_float`` reduced to the head.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import torch

from assistant.encoder.onnx import input_maxima, word_vectors
from assistant.redaction.e5_ner import CARD_FILE, MODEL_FILE, load_card, load_tagger
from evals.pii_bench import data_file
from evals.train_ner_e5 import split


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", help="the folder holding cluener2020/ (default ../shared/data)")
    parser.add_argument("--model", type=Path, default=MODEL_FILE)
    parser.add_argument("--texts", type=int, default=300)
    parser.add_argument("--write", action="store_true", help=f"write them into {CARD_FILE}")
    args = parser.parse_args()
    torch.set_num_threads(1)
    fit, _ = split(data_file(args.data))
    card = load_card()
    thresholds = card["thresholds"]
    assert isinstance(thresholds, dict)
    tagger = load_tagger(args.model, {str(k): float(v) for k, v in thresholds.items()})
    texts = [r["text"] for r in fit[: args.texts]]
    maxima = input_maxima(
        tagger.network.states,
        (word_vectors(tagger.encoder, tagger.tokenizer.encode(t).ids) for t in texts),
    )
    for part, values in maxima.items():
        print(f"{part}: largest {max(values):.1f}, median {float(np.median(values)):.2f}")
    if args.write:
        command = (
            str(card["command"]).split(" && ")[0] + " && python -m evals.calibrate_ner_e5 --write"
        )
        card = card | {"command": command, "int8_keep_float": ["head"], "int8_smooth": maxima}
        text = json.dumps(card, ensure_ascii=False, indent=2) + "\n"
        CARD_FILE.write_text(text, encoding="utf-8")
        print(f"wrote {CARD_FILE}")


if __name__ == "__main__":
    main()
