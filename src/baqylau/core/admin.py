"""The base of every admin page: permissions from the rules module, history, and no lost updates."""

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rules.contrib.admin import ObjectPermissionsModelAdminMixin
from simple_history.admin import SimpleHistoryAdmin

from .locking import EditConflict, check_version, save_versioned


class VersionedAdminForm(forms.ModelForm):
    """Carries the version the editor opened; refuses the save when someone saved since."""

    opened_version = forms.IntegerField(label=_("version opened"), widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.fields["opened_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:  # a change: the version it was opened at must be sent, and be current
            try:
                check_version(self.instance, cleaned.get("opened_version"))
            except EditConflict as conflict:
                raise ValidationError(conflict.message) from conflict
        return cleaned


class BaqylauAdmin(ObjectPermissionsModelAdminMixin, SimpleHistoryAdmin):
    """Object permissions from baqylau/accounts/rules.py; history on every change page.

    The history pages show only what the change page would: an item outside the model admin's queryset
    (another agency's, for an agency editor) has no history there either.
    """

    def _visible_or_404(self, request, object_id) -> None:
        if not self.get_queryset(request).filter(pk=object_id).exists():
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._visible_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context=extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._visible_or_404(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context=extra_context)


class VersionedAdmin(BaqylauAdmin):
    form = VersionedAdminForm

    def save_model(self, request, obj, form, change):
        if change:
            try:
                save_versioned(obj, form.cleaned_data.get("opened_version"))
            except EditConflict as conflict:  # a save in the instant since clean(): still refused
                raise ValidationError(conflict.message) from conflict
        else:
            super().save_model(request, obj, form, change)
