"""Check the numpy LAC against PaddlePaddle's, tag for tag: `python evals/lac_parity.py ...`.

Two steps, two environments (PaddlePaddle must never enter the project's venv):

1. ``reference`` runs in a separate venv holding ``paddlepaddle==2.6.2`` and ``numpy<2``
   (``python -m venv /tmp/paddle && /tmp/paddle/bin/pip install paddlepaddle==2.6.2 'numpy<2'``).
   It runs LAC 2.1.2's ``lac_model`` with ``paddle.inference`` and LAC's own segmentation and
   vocabulary code (loaded from the installed package's files, not through its ``__init__``,
   which needs the removed ``paddle.fluid``), one JSON line per input line:
   ``/tmp/paddle/bin/python evals/lac_parity.py reference LAC_DIR < texts.txt > paddle.jsonl``
   (LAC_DIR: the installed ``LAC`` package folder, ``.venv/lib/python3.11/site-packages/LAC``).
2. ``compare`` runs in the project's venv: ``python -m evals.lac_parity compare paddle.jsonl``
   prints how many sentences' token ids and tags differ (session 8: 0 of 1,878 CLUENER
   sentences, 1,578 held-out and 300 training ones).
"""

from __future__ import annotations

import importlib.util
import json
import sys
import types
from pathlib import Path
from typing import Any


def _lac_modules(lac_dir: Path) -> tuple[Any, Any]:
    """LAC's ``segment`` and ``reader`` modules, loaded as a package without its __init__."""
    package = types.ModuleType("lacref")
    package.__path__ = [str(lac_dir)]
    sys.modules["lacref"] = package
    loaded = []
    for name in ("prefix_tree", "segment", "reader"):
        spec = importlib.util.spec_from_file_location(f"lacref.{name}", lac_dir / f"{name}.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[f"lacref.{name}"] = module
        spec.loader.exec_module(module)
        loaded.append(module)
    return loaded[1], loaded[2]


def reference(lac_dir: Path) -> None:
    import numpy as np
    import paddle.inference as pi  # only in the separate paddle venv

    segment, reader = _lac_modules(lac_dir)
    conf = lac_dir / "lac_model/conf"
    args = types.SimpleNamespace(
        word_dict_path=str(conf / "word.dic"),
        label_dict_path=str(conf / "tag.dic"),
        word_rep_dict_path=str(conf / "q2b.dic"),
        model="lac",
    )
    dataset, segmenter = reader.Dataset(args), segment.Segment(str(conf / "small_seg.dic"))
    config = pi.Config(str(lac_dir / "lac_model/model"))
    config.disable_glog_info()
    config.switch_ir_optim(False)
    predictor = pi.create_predictor(config)
    for line in sys.stdin:
        text = line.rstrip("\n")
        if not text:
            continue
        ids, lengths = dataset.text_to_ids(segmenter.fast_cut(text))
        handle = predictor.get_input_handle("words")
        handle.reshape([len(ids), 1])
        handle.copy_from_cpu(np.array(ids, "int64").reshape(-1, 1))
        handle.set_lod([[0, len(ids)]])
        predictor.run()
        out = predictor.get_output_handle(predictor.get_output_names()[0]).copy_to_cpu()
        row = {"text": text, "ids": ids, "lens": lengths, "tags": out.reshape(-1).tolist()}
        print(json.dumps(row, ensure_ascii=False))


def compare(path: Path) -> None:
    from assistant.redaction.lac_ner import default_lac

    model = default_lac()
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    bad_ids = bad_tags = 0
    for row in rows:
        ids, lengths = model.ids(row["text"])
        bad_ids += (ids, lengths) != (row["ids"], row["lens"])
        bad_tags += model.token_tags(row["text"])[0] != row["tags"]
    print(f"{len(rows)} sentences: token ids differ in {bad_ids}, tags differ in {bad_tags}")


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("reference", "compare"):
        sys.exit(__doc__)
    (reference if sys.argv[1] == "reference" else compare)(Path(sys.argv[2]))
