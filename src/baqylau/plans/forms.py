"""Editing a measure on the pages. The project office edits the plan's terms; an agency its execution."""

from django import forms
from django.core.exceptions import ValidationError

from baqylau.core.locking import EditConflict, check_version

from .editing import AGENCY_FIELDS, OFFICE_FIELDS
from .models import Measure


class MeasureEditForm(forms.ModelForm):
    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)  # missing: a conflict

    class Meta:
        model = Measure
        fields = OFFICE_FIELDS
        widgets = {
            "start": forms.DateInput(attrs={"type": "date"}),
            "due": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, office: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not office:
            for name in set(OFFICE_FIELDS) - set(AGENCY_FIELDS):
                del self.fields[name]
        if not self.is_bound:
            self.fields["opened_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        try:
            check_version(self.instance, cleaned.get("opened_version"))
        except EditConflict as conflict:
            raise ValidationError(conflict.message) from conflict
        return cleaned
