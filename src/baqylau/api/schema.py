"""The OpenAPI schema as the API behaves: error answers, strict input, decimals as numbers or strings."""

import copy

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import force_instance
from rest_framework import serializers

from baqylau.core.dates import ERA_PATTERN, era_message
from baqylau.core.spreadsheet import UNHOLDABLE_CLASS

from .serializers.base import ConflictSerializer, ErrorSerializer, StrictInputMixin, VersionedInputMixin

PAGE_PARAMETERS = ("page", "page_size")


class DecimalInputExtension(OpenApiSerializerFieldExtension):
    """A decimal is read back as a string (exact); it may be written as a JSON number or a string."""

    target_class = "baqylau.api.serializers.base.ApiDecimalField"

    def map_serializer_field(self, auto_schema, direction):
        as_string = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        if direction != "request":
            return as_string
        field = self.target
        as_number = {"type": "number"}
        bound = float(10**field.max_whole_digits) if field.max_whole_digits is not None else None
        if field.min_value is not None:
            as_number["minimum"] = float(field.min_value)
        elif bound is not None:
            as_number.update(minimum=-bound, exclusiveMinimum=True)
        if field.max_value is not None:
            as_number["maximum"] = float(field.max_value)
        elif bound is not None:
            as_number.update(maximum=bound, exclusiveMaximum=True)
        if field.decimal_places is not None:
            # At most that many decimals, as a number too (DRF refuses more rather than rounding).
            as_number["multipleOf"] = 10.0**-field.decimal_places
        pattern = as_string.get("pattern", "")
        if pattern.startswith("^-?"):
            # A digit at least ("" and "." are no number); not negative when the field says so.
            sign = "" if field.min_value is not None and field.min_value >= 0 else "-?"
            as_string["pattern"] = "^" + sign + r"(?=\.?\d)" + pattern[3:]
        description = as_string.pop("description", None)
        nullable = as_string.pop("nullable", False)
        for key in ("readOnly", "title"):
            as_string.pop(key, None)
        schema = {"oneOf": [as_number, as_string]}
        if nullable:
            schema["nullable"] = True
            as_number["nullable"] = as_string["nullable"] = True
        if description:
            schema["description"] = description
        return schema


class EraDateExtension(OpenApiSerializerFieldExtension):
    """A date a client writes lies in the plan era (core/dates.py): the schema says so, with a pattern."""

    target_class = "baqylau.api.serializers.base.ApiDateField"

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        if direction == "request":
            schema["pattern"] = ERA_PATTERN
            schema["description"] = " ".join(filter(None, [schema.get("description"), era_message()]))
        return schema


class ApiAutoSchema(AutoSchema):
    """drf-spectacular's schema, with the error answers every operation can give."""

    def _get_parameters(self):
        parameters = []
        for p in super()._get_parameters():
            if p["in"] == "query" and p["name"] not in PAGE_PARAMETERS:
                # An empty filter (``?sphere=``, as a browser's filter form sends it) means "no filter", and
                # an empty ``as_of`` means today; only the page number and size must be numbers when given.
                p = {**p, "allowEmptyValue": True}
            elif p["in"] == "path" and p["name"] == "id":
                p = {**p, "schema": {"type": "integer", "minimum": 1}, "description": _("The item's id.")}
            parameters.append(p)
        return parameters

    def _get_request_for_media_type(self, serializer, direction="request"):
        schema, required = super()._get_request_for_media_type(serializer, direction)
        instance = force_instance(serializer)
        if isinstance(instance, StrictInputMixin):
            if self.method == "PATCH":
                instance = copy.copy(instance)
                instance.partial = True
            component = self.resolve_serializer(instance, direction)
            # Unknown keys are refused (400), and a PATCH still needs the version it was read at.
            component.schema["additionalProperties"] = False
            for field in instance.fields.values():
                child = getattr(field, "child", field)
                if isinstance(child, StrictInputMixin) and not field.read_only:
                    self.resolve_serializer(child, direction).schema["additionalProperties"] = False
            if self.method == "PATCH" and isinstance(instance, VersionedInputMixin):
                component.schema["required"] = ["version"]
                required = True
            # Rules across fields that JSON Schema can state (e.g. "a measure or an instruction").
            component.schema.update(copy.deepcopy(getattr(instance, "schema_rules", {})))
        return schema, required

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if direction == "request" and isinstance(field, serializers.CharField) and not field.read_only:
            # No character a database or a workbook cannot hold; and, when blank is refused, one that is not a
            # space (spaces only are blank once trimmed).
            needs_one = not field.allow_blank and field.trim_whitespace
            start = r"^(?=[\s\S]*\S)" if needs_one else "^"
            schema.setdefault("pattern", start + f"[^{UNHOLDABLE_CLASS}]*$")
        return schema

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        error = self.resolve_serializer(ErrorSerializer, direction).ref
        conflict = self.resolve_serializer(ConflictSerializer, direction).ref
        free_form = {"type": "object", "additionalProperties": {}}

        def add(code, description, schema):
            responses.setdefault(
                code, {"description": description, "content": {"application/json": {"schema": schema}}}
            )

        add(
            "400", _("Bad input: field name -> list of messages (non_field_errors for the whole)."), free_form
        )
        add("401", _("No or invalid credentials."), error)
        add("403", _("Refused: your role may not do this."), error)
        add("404", _("Unknown, or not visible to you."), error)
        if self.method in ("POST", "PATCH", "PUT"):
            add("409", _("Stale version (someone saved since you read) or wrong state."), conflict)
        return responses
