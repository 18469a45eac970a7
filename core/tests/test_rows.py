"""Plain-row lists refuse a serializer whose fields do not each read one column."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
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


class KeyInTokyoSerializer(KeySerializer):
    created_at = serializers.DateTimeField(
        default_timezone=datetime.timezone(datetime.timedelta(hours=9))
    )


class KeyAsDaySerializer(KeySerializer):
    created_at = serializers.DateTimeField(format="%d.%m.%Y")


@pytest.mark.parametrize(
    "serializer_class", [KeySerializer, KeyInTokyoSerializer, KeyAsDaySerializer]
)
@pytest.mark.parametrize("zone", ["UTC", "Europe/Paris"])
@pytest.mark.parametrize(
    "created_at",
    [
        datetime.datetime(2030, 1, 2, 3, 4, 5, tzinfo=datetime.UTC),
        datetime.datetime(2030, 7, 2, 23, 59, 59, 123456, tzinfo=datetime.UTC),
    ],
)
def test_a_date_time_reads_as_drf_writes_it(serializer_class, zone, created_at):
    key = IdempotencyKey(id=7, key="k", created_at=created_at)
    row = {"id": 7, "key": "k", "created_at": created_at}

    with timezone.override(zone):
        assert represent_rows(serializer_class, [row]) == [serializer_class(key).data]


@pytest.mark.parametrize("serializer_class", [KeyWithMethodSerializer, KeyWithRelationSerializer])
def test_a_field_that_is_not_one_plain_column_is_refused(serializer_class):
    with pytest.raises(ImproperlyConfigured, match="plain"):
        represent_rows(serializer_class, [])
