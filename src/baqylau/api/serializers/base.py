"""Shared fields and input rules of every serializer: dates in the plan era, strict JSON types, versions."""

from collections.abc import Mapping

from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from baqylau.core.dates import ERA_END, ERA_START, era_message, in_era
from baqylau.core.spreadsheet import UNHOLDABLE

# Validity range of every date a client writes: the plan era (core/dates.py).
DATE_MIN, DATE_MAX = ERA_START, ERA_END


class ApiDateField(serializers.DateField):
    def to_internal_value(self, value):
        date = super().to_internal_value(value)
        if not in_era(date):
            raise serializers.ValidationError(era_message())
        return date


def code_field(**kwargs):
    return serializers.SlugRelatedField(slug_field="code", read_only=True, **kwargs)


class ApiDecimalField(serializers.DecimalField):
    """A decimal, written as a JSON number or a string; read back as a string (exact)."""


def _json_type_error(field, value):
    """The message when a value is not of the JSON type the schema gives the field; None when it is."""
    if value is None:
        return None  # whether null is allowed is the field's own check
    if isinstance(field, serializers.BooleanField):
        ok, expected = isinstance(value, bool), _("true or false")
    elif isinstance(field, serializers.DecimalField):
        ok = isinstance(value, int | float | str) and not isinstance(value, bool)
        expected = _("a number")
    elif isinstance(field, serializers.IntegerField | serializers.PrimaryKeyRelatedField):
        ok, expected = isinstance(value, int) and not isinstance(value, bool), _("a whole number")
    elif isinstance(field, serializers.CharField | serializers.DateField | serializers.ChoiceField):
        ok, expected = isinstance(value, str), _("a string")
        if ok and UNHOLDABLE.search(value):
            return _("The text contains a control character (or a lone surrogate) that cannot be stored.")
    else:
        return None
    return None if ok else _("Expected %(type)s.") % {"type": expected}


class StrictInputMixin:
    # Input as the schema says it: no unknown keys, and JSON types as declared (DRF would coerce
    # "5" to 5 or 1 to true, which the schema does not promise). A comment, not a docstring: drf-spectacular
    # would show a docstring as the description of every input object.

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            writable = {name: field for name, field in self.fields.items() if not field.read_only}
            errors = {name: [_("This field cannot be written here.")] for name in set(data) - set(writable)}
            for name, field in writable.items():
                message = _json_type_error(field, data[name]) if name in data else None
                if message:
                    errors[name] = [message]
            if errors:
                raise serializers.ValidationError(dict(sorted(errors.items())))
        return super().to_internal_value(data)


class StrictModelSerializer(StrictInputMixin, serializers.ModelSerializer):
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DecimalField: ApiDecimalField,
    }


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class ConflictChangeSerializer(serializers.Serializer):
    user = serializers.CharField()
    when = serializers.DateTimeField()
    fields = serializers.ListField(child=serializers.CharField())


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text=_("What happened, in the request's language."))
    code = serializers.ChoiceField(choices=["edit_conflict", "wrong_state"])
    current_version = serializers.IntegerField(allow_null=True, required=False)
    changes = ConflictChangeSerializer(many=True, required=False)


class VersionedInputMixin(StrictInputMixin):
    """Writes state the version the client read; ``partial`` must not make it optional."""

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if "version" not in attrs:
            raise serializers.ValidationError({"version": [_("This field is required.")]})
        return attrs


def _version_field():
    return serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        help_text=_("The version you read; a stale version is refused with 409 and nothing is saved."),
    )
