"""Reference data: spheres, facility kinds, territories, agencies (named by code)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from baqylau.reference.models import Agency, FacilityKind, Sphere, Territory

from .base import code_field


class SphereSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True, help_text=_("The name in the request's language."))

    class Meta:
        model = Sphere
        fields = ["id", "code", "name", "name_ru", "name_kk", "label"]


class FacilityKindSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True, help_text=_("The name in the request's language."))

    class Meta:
        model = FacilityKind
        fields = ["id", "code", "name", "name_ru", "name_kk", "label"]


class TerritorySerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True, help_text=_("The name in the request's language."))
    parent = code_field(allow_null=True)

    class Meta:
        model = Territory
        fields = [
            "id",
            "code",
            "name",
            "name_ru",
            "name_kk",
            "label",
            "kind",
            "parent",
            "centre_name",
            "lat",
            "lon",
            "source",
            "estimate_note",
        ]


class AgencySerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True, help_text=_("The name in the request's language."))

    class Meta:
        model = Agency
        fields = ["id", "code", "name", "name_ru", "name_kk", "label", "kind", "source", "estimate_note"]
