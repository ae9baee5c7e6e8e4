from types import SimpleNamespace

from baqylau.core.translation import translated


def item(**texts):
    return SimpleNamespace(**{"name": "", "name_ru": "", "name_kk": "", **texts})


def test_active_language_first():
    obj = item(name="Water", name_ru="Вода", name_kk="Су")
    assert translated(obj, "name", "kk") == "Су"
    assert translated(obj, "name", "ru") == "Вода"
    assert translated(obj, "name", "en") == "Water"


def test_falls_back_to_the_language_that_exists():
    assert translated(item(name_ru="Вода"), "name", "en") == "Вода"
    assert translated(item(name="Water"), "name", "kk") == "Water"
    assert translated(item(name_kk="Су"), "name", "ru") == "Су"


def test_regional_variants_and_unknown_languages():
    obj = item(name="Water", name_ru="Вода")
    assert translated(obj, "name", "ru-kz") == "Вода"
    assert translated(obj, "name", "de") == "Water"
