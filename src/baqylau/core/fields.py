"""Abstract model bases shared across the domain apps."""

from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .translation import TranslatedStrMixin

# Documented length limits of free text (docs/data-model.md), in characters.
SOURCE_MAX = 5_000  # source, estimate note
NOTE_MAX = 5_000  # an actual's note, a review comment, a deadline change's reason
INSTRUCTION_TEXT_MAX = 10_000
NARRATIVE_MAX = 20_000  # a report's narrative


def text_limit(characters: int) -> dict:
    """A TextField's length limit, checked by ``full_clean`` (so the admin, the imports and the API) and
    by the forms; Django's TextField would only pass ``max_length`` to its form widget."""
    return {"max_length": characters, "validators": [MaxLengthValidator(characters)]}


class TranslatedName(TranslatedStrMixin, models.Model):
    """A name in the base language (English where known) with Russian and Kazakh versions."""

    name = models.CharField(_("name"), max_length=300)
    name_ru = models.CharField(_("name (ru)"), max_length=300, blank=True)
    name_kk = models.CharField(_("name (kk)"), max_length=300, blank=True)

    text_field = "name"

    class Meta:
        abstract = True


class TranslatedTitle(TranslatedStrMixin, models.Model):
    title = models.CharField(_("title"), max_length=500)
    title_ru = models.CharField(_("title (ru)"), max_length=500, blank=True)
    title_kk = models.CharField(_("title (kk)"), max_length=500, blank=True)

    text_field = "title"

    class Meta:
        abstract = True


class Sourced(models.Model):
    """Where a fact comes from, and which of its values are our estimates.

    The demo data must be true: every row says its source, and any value that is estimated says so
    in ``estimate_note`` (which values, and why), so that no estimate is presented as a fact.
    """

    source = models.TextField(_("source"), blank=True, **text_limit(SOURCE_MAX))
    estimate_note = models.TextField(
        _("estimates"),
        blank=True,
        help_text=_("Which values of this row are estimates, and why."),
        **text_limit(SOURCE_MAX),
    )

    class Meta:
        abstract = True

    @property
    def is_estimate(self) -> bool:
        return bool(self.estimate_note)


class Versioned(models.Model):
    """Optimistic locking: every save through the product increments ``version``."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True
