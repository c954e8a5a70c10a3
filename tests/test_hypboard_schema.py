"""The compiled schema check of .hypboard files decides as jsonschema, the reference,
does: it never lets through what the reference refuses, and where it is stricter the
reference decides."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hyp_board.core.matrix import Matrix
from hyp_board.project_files.hypboard import (
    _check_schema,
    _compiled_schema,
    parse_project,
    schema,
    to_document,
)
from hyp_board.project_files.import_result import ProjectFileError
from hyp_board.sample_case import load_sample

BASE = to_document(Matrix(load_sample()))
REFERENCE = jsonschema.Draft202012Validator(schema())

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.sampled_from(["CC", "II", "High", "Report", "2007-03", "", "1.1", BASE["project"]["uuid"]]),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=6,
)


def places(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a document where a value stands (the first few of each list)."""
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += places(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value[:3]):
            found += places(item, (*path, index))
    return found


PLACES = places(BASE)[1:]


def changed(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    doc = json.loads(json.dumps(BASE))
    target = doc
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return doc


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(PLACES), json_values)
def test_the_compiled_check_never_passes_what_the_reference_refuses(path, value):
    doc = changed(path, value)
    try:
        fast = _compiled_schema().is_valid(doc)
    except (ValueError, TypeError, OverflowError, RecursionError):
        fast = False  # handed to the reference
    if fast:
        assert REFERENCE.is_valid(doc), (path, value)
    refused_by_reference = not REFERENCE.is_valid(doc)
    try:
        _check_schema(doc, "file")
    except ProjectFileError:
        assert refused_by_reference
    else:
        assert not refused_by_reference


def test_where_the_compiled_check_is_stricter_the_reference_decides():
    # JSON Schema patterns are ECMA regular expressions, in which "$" matches only at
    # the end; Python's, which the reference uses, also before a final line break.
    doc = changed(("project", "uuid"), BASE["project"]["uuid"] + "\n")
    assert not _compiled_schema().is_valid(doc) and REFERENCE.is_valid(doc)
    result = parse_project(json.dumps(doc).encode())  # imported, as it always was
    assert len(result.data.hypotheses) == len(BASE["hypotheses"])


@pytest.mark.parametrize(
    ("path", "value", "where"),
    [
        (("evidence", 1, "credibility"), 5, "evidence[1].credibility"),
        (("ratings", 2, "rating"), "X", "ratings[2].rating"),
        (("project", "title"), "", "project.title"),
        (("evidence", 0, "span"), [3, "x"], "evidence[0].span[1]"),
    ],
)
def test_a_refused_file_is_told_where_it_is_wrong(path, value, where):
    with pytest.raises(ProjectFileError) as refused:
        _check_schema(changed(path, value), "file")
    assert str(refused.value).startswith(f"file: {where}: ")
