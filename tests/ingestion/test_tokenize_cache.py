"""`tokenize` caches its work (every turn tokenizes the same live passages again), but a word
taught to jieba afterwards must still change how a text segments."""

from __future__ import annotations

from assistant.retrieval.tokenizer import add_words, tokenize


def test_a_word_added_after_a_text_was_tokenized_changes_its_tokens() -> None:
    text = "请问蓝鲸湾稳盈七号的费率"
    before = tokenize(text)
    assert "蓝鲸湾稳盈七号" not in before
    assert tokenize(text) == before  # the cached result, equal

    add_words(["蓝鲸湾稳盈七号"])

    assert "蓝鲸湾稳盈七号" in tokenize(text)


def test_callers_get_their_own_list() -> None:
    tokens = tokenize("定投最少投多少钱")
    tokens.append("changed")
    assert "changed" not in tokenize("定投最少投多少钱")
