"""The translation catalogues merged by plural rule (cms/catalogs.py): the same messages found,
from fewer dicts."""

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import trans_real

from cms import catalogs


def made(language, update):
    original = trans_real.TranslationCatalog.update
    trans_real.TranslationCatalog.update = update
    try:
        return trans_real.DjangoTranslation(language)
    finally:
        trans_real.TranslationCatalog.update = original


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_every_message_is_translated_as_django_translates_it(language):
    djangos = made(language, catalogs.djangos_update)
    merged = made(language, catalogs._update)
    assert len(merged._catalog._catalogs) < len(djangos._catalog._catalogs)
    keys = set(djangos._catalog.keys())
    assert keys == set(merged._catalog.keys())
    # English is the source language: its catalogues hold only their headers
    assert len(keys) > 100 or language == "en"
    for key in keys:
        if isinstance(key, tuple):  # a plural form: (msgid, form)
            for number in (0, 1, 2, 3, 5, 11, 12, 21, 22, 25, 101, 1000, 1_000_000):
                assert merged.ngettext(key[0], key[0], number) == djangos.ngettext(
                    key[0], key[0], number
                ), (key, number)
        else:
            assert merged.gettext(key) == djangos.gettext(key), key
    assert merged.gettext("a text no catalogue has") == "a text no catalogue has"


def test_the_site_uses_the_merged_catalogues():
    assert trans_real.TranslationCatalog.update is catalogs._update
    with translation.override("pl"):
        assert translation.gettext("Search") != "Search"  # still translated
        catalogue = trans_real.translation("pl")._catalog
        assert len(catalogue._catalogs) <= 3
