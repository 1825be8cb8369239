"""Hybrid retrieval: dense (Chroma) and BM25 over jieba tokens, fused."""
