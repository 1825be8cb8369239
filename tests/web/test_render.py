"""The console's transcript drawing: a document's Markdown table becomes a table, and every
text, in or out of a table, stays escaped."""

from __future__ import annotations

from api.web.render import with_tables


def test_a_markdown_table_is_drawn_as_a_table_with_its_cells_escaped() -> None:
    text = "费率如下：\n| 期限 | 费率 |\n|---|:--:|\n| 7天 | <b>1.5%</b> |\n\n基金有风险"
    html = str(with_tables(text))
    assert "<table><tr><th>期限</th><th>费率</th></tr><tr><td>7天</td>" in html
    assert "&lt;b&gt;1.5%&lt;/b&gt;" in html and "<b>" not in html
    assert html.startswith("费率如下：\n") and html.endswith("基金有风险")


def test_pipes_without_a_rule_line_and_html_stay_plain_text() -> None:
    html = str(with_tables("a | b |\n| 1 | 2 |\n<script>x</script>"))
    assert "<table>" not in html and "&lt;script&gt;" in html
