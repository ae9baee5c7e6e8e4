"""The base of every admin page: permissions from the rules module, history, and no lost updates."""

from django import forms
from django.core.exceptions import ValidationError
from rules.contrib.admin import ObjectPermissionsModelAdminMixin
from simple_history.admin import SimpleHistoryAdmin

from .locking import EditConflict, save_versioned


class VersionedAdminForm(forms.ModelForm):
    """Carries the version the editor opened; refuses the save when someone saved since."""

    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.fields["opened_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        opened = cleaned.get("opened_version")
        if self.instance.pk and opened is not None:
            current = (
                type(self.instance)
                ._base_manager.filter(pk=self.instance.pk)
                .values_list("version", flat=True)
            )
            if current and current[0] != opened:
                raise ValidationError(EditConflict(self.instance, opened).message)
        return cleaned


class BaqylauAdmin(ObjectPermissionsModelAdminMixin, SimpleHistoryAdmin):
    """Object permissions from baqylau/accounts/rules.py; history on every change page."""


class VersionedAdmin(BaqylauAdmin):
    form = VersionedAdminForm

    def save_model(self, request, obj, form, change):
        opened = form.cleaned_data.get("opened_version")
        if change and opened is not None:
            try:
                save_versioned(obj, opened)
            except EditConflict as conflict:  # a save in the instant since clean(): still refused
                raise ValidationError(conflict.message) from conflict
        else:
            super().save_model(request, obj, form, change)
