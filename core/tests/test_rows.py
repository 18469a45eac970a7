"""Plain-row lists refuse a serializer whose fields do not each read one column."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from rest_framework import serializers

from core.api.rows import represent_rows
from core.models import IdempotencyKey


class KeySerializer(serializers.ModelSerializer):
    class Meta:
        model = IdempotencyKey
        fields = ["id", "key", "created_at"]


class KeyWithMethodSerializer(KeySerializer):
    shout = serializers.SerializerMethodField()

    class Meta(KeySerializer.Meta):
        fields = [*KeySerializer.Meta.fields, "shout"]

    def get_shout(self, key: IdempotencyKey) -> str:
        return key.key.upper()


class KeyWithRelationSerializer(KeySerializer):
    class Meta(KeySerializer.Meta):
        fields = [*KeySerializer.Meta.fields, "owner"]


def test_a_row_renders_like_its_instance():

    row = {
        "id": 7,
        "key": "k",
        "created_at": datetime.datetime(2030, 1, 2, 3, 4, 5, tzinfo=datetime.UTC),
    }
    assert represent_rows(KeySerializer, [row]) == [
        {"id": 7, "key": "k", "created_at": "2030-01-02T03:04:05Z"}
    ]


@pytest.mark.parametrize("serializer_class", [KeyWithMethodSerializer, KeyWithRelationSerializer])
def test_a_field_that_is_not_one_plain_column_is_refused(serializer_class):
    with pytest.raises(ImproperlyConfigured, match="plain"):
        represent_rows(serializer_class, [])
