"""dumps_indented against its twin, json.dumps(indent=...), byte for byte."""

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactpoly.io.jsontext import dumps_indented

SCALARS = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True)
           | st.text(max_size=8))
KEYS = st.text(max_size=6) | st.integers() | st.booleans() | st.none() | st.floats(allow_nan=False)
DOCS = st.recursive(SCALARS, lambda kids: st.lists(kids, max_size=4) | st.tuples(kids, kids)
                    | st.dictionaries(KEYS, kids, max_size=4), max_leaves=30)


@settings(max_examples=400, deadline=None)
@given(DOCS, st.integers(0, 3))
def test_same_text_as_json_dumps(doc, indent):
    assert dumps_indented(doc, indent) == json.dumps(doc, indent=indent)


def test_the_region_complex_file_is_unchanged():
    from exactpoly import complex_to_mapping, region_complex
    from exactpoly.network import network_from_layers

    net = network_from_layers(2, [([[1, 0], [0, 1], [1, 1]], [0, "1/3", "-1/2"]), ([[1, -1, 2]], [0])])
    for box in (1, None):
        m = complex_to_mapping(region_complex(net, box=box))
        assert dumps_indented(m) == json.dumps(m, indent=1)


def test_subclasses_and_specials():
    class S(str):
        pass

    class Int(int):
        pass

    doc = {S("k"): [Int(3), S("é\n"), math.inf, -math.inf, math.nan, 1e300, -0.0], 5: {True: False, None: []}}
    assert dumps_indented(doc) == json.dumps(doc, indent=1)


def test_errors_name_the_problem():
    with pytest.raises(TypeError, match="set is not JSON serializable"):
        dumps_indented({"a": {1, 2}})
    with pytest.raises(TypeError, match="keys must be"):
        dumps_indented({(1, 2): 3})
    with pytest.raises(TypeError, match="indent"):
        dumps_indented([], indent=-1)
