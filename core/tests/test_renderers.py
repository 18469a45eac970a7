"""The orjson renderer writes exactly the bytes DRF's JSONRenderer writes."""

import datetime
import decimal
import uuid

import pytest
from django.utils.translation import gettext_lazy
from rest_framework import renderers, serializers
from rest_framework.exceptions import ErrorDetail
from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

from core.api.renderers import JSONRenderer

CASES = {
    "nothing": None,
    "empty": {},
    "scalars": {"a": 1, "b": [1, 2.5, None, True, False], "n": -(10**18), "f": 1e100},
    "text": {"t": 'é\u2028x\u2029\x00\x1f\x7f"\\/<>&', "emoji": "\U0001f600"},
    "times": {
        "at": datetime.datetime(2024, 1, 2, 3, 4, 5, 678901, tzinfo=datetime.UTC),
        "day": datetime.date(2024, 1, 2),
        "time": datetime.time(1, 2, 3, 456789),
    },
    "objects": {
        "decimal": decimal.Decimal("1.10"),
        "uuid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "lazy": gettext_lazy("Not found."),
        "error": ErrorDetail("Bad.", code="invalid"),
        "set": {1},
    },
    "serializer output": ReturnList(
        [ReturnDict({"x": 1}, serializer=serializers.Serializer())],
        serializer=serializers.Serializer(),
    ),
    "past 64 bits": {"big": 2**70},
    "integer keys": {1: "one"},
}


@pytest.mark.parametrize("data", CASES.values(), ids=CASES.keys())
def test_the_same_bytes_as_drf(data):
    assert JSONRenderer().render(data) == renderers.JSONRenderer().render(data)


def test_indented_output_is_drf_s():
    data = {"a": [1, {"b": "c"}]}
    media_type = "application/json; indent=2"
    expected = renderers.JSONRenderer().render(data, media_type)
    assert JSONRenderer().render(data, media_type) == expected
    assert b"\n  " in expected
