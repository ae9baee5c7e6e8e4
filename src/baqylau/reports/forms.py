"""The report form an agency fills in: narrative, progress, indicator values, an attachment."""

from django import forms
from django.utils.translation import gettext_lazy as _

from baqylau.core.translation import translated

from .attachments import check_upload
from .models import Report


class ReportForm(forms.ModelForm):
    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    attachment = forms.FileField(label=_("Attachment (PDF, DOCX, XLSX, PNG or JPG)"), required=False)

    class Meta:
        model = Report
        fields = ["period_start", "period_end", "narrative", "progress", "executed"]
        widgets = {
            "period_start": forms.DateInput(attrs={"type": "date"}),
            "period_end": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, item=None, indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        is_measure = getattr(item, "_meta", None) and item._meta.model_name == "measure"
        if is_measure:
            del self.fields["executed"]
            self.fields["progress"].widget.attrs.update(min=0, max=100, step="0.1")
        else:
            del self.fields["progress"]
        existing = (
            {v.indicator_id: v.value for v in self.instance.indicator_values.all()}
            if self.instance.pk
            else {}
        )
        for indicator in self.indicators:
            self.fields[f"indicator_{indicator.pk}"] = forms.DecimalField(
                label=f"{indicator.label} ({translated(indicator, 'unit')})",
                required=False,
                max_digits=18,
                decimal_places=4,
                initial=existing.get(indicator.pk),
            )
        if self.instance.pk and not self.is_bound:
            self.fields["opened_version"].initial = self.instance.version

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            self.attachment_kind = check_upload(upload)
        return upload

    def indicator_values(self) -> dict:
        return {
            i: self.cleaned_data[f"indicator_{i.pk}"]
            for i in self.indicators
            if self.cleaned_data.get(f"indicator_{i.pk}") is not None
        }


class ReviewForm(forms.Form):
    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)  # missing: a conflict
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("return", _("Return"))])
    comment = forms.CharField(label=_("Comment (required to return)"), required=False, widget=forms.Textarea)
