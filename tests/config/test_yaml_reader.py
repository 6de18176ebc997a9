"""The fast YAML reader gives the same values as ruamel.yaml's own safe loader."""

from __future__ import annotations

from io import StringIO

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from reconciler.config.yaml_reader import Problem, YAMLSyntaxError, read_yaml

SAMPLE = """\
plain: text
quoted: '1'
number: 12
hex: 0x1f
decimal: 1.5
negative: -3
yes_is_text: yes
true_is_bool: true
nothing: ~
empty:
date_is_text: 2024-01-01
flow: [1, two, {three: 3}]
anchored: &a {k: v}
alias: *a
merged: {<<: *a, extra: 1}
folded: >
  two
  lines
"""


def test_values_match_ruamel_safe_loading() -> None:
    expected = YAML(typ="safe", pure=True).load(SAMPLE)
    expected["date_is_text"] = "2024-01-01"  # dates stay text in this format
    assert read_yaml(SAMPLE).value == expected


def test_structural_problems_do_not_stop_reading() -> None:
    document = read_yaml("a: 1\nb: !Custom x\na: 2\nc: 3\n")
    assert document.value == {"a": 1, "b": "x", "c": 3}
    assert document.problems == [
        Problem(2, 4, "unsupported YAML tag !Custom"),
        Problem(3, 1, "duplicate key 'a'"),
    ]


@pytest.mark.parametrize(
    ("text", "line", "col", "fragment"),
    [
        ("a: [1\nb: 2\n", 2, 2, "YAML syntax error"),
        ("a: 1\n---\nb: 2\n", 2, 1, "only one YAML document per file"),
        ("a: *missing\n", 1, 4, "unknown alias *missing"),
    ],
)
def test_syntax_errors_carry_their_place(text: str, line: int, col: int, fragment: str) -> None:
    with pytest.raises(YAMLSyntaxError) as raised:
        read_yaml(text)
    assert (raised.value.line, raised.value.col) == (line, col)
    assert fragment in raised.value.message


_leaves = st.one_of(
    st.none(), st.booleans(), st.integers(), st.text(max_size=12), st.floats(allow_nan=False)
)
_values = st.recursive(
    _leaves,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.text(min_size=1, max_size=8), inner, max_size=4),
    ),
    max_leaves=20,
)


@given(st.dictionaries(st.text(min_size=1, max_size=8), _values, max_size=5))
@settings(max_examples=150, deadline=None)
def test_anything_ruamel_writes_reads_back_the_same(data: dict[str, object]) -> None:
    yaml = YAML(typ="safe", pure=True)
    # Block style: in flow style ruamel's emitter writes keys such as `0?` bare, which the
    # libyaml parser (rightly, for flow context) refuses; configurations are written in blocks.
    yaml.default_flow_style = False
    stream = StringIO()
    yaml.dump(data, stream)
    assert read_yaml(stream.getvalue()).value == yaml.load(stream.getvalue())
