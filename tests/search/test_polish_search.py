"""Polish text search on PostgreSQL (cms/search/languages.py): the "polish" configuration made
from the Polish Hunspell dictionary and stop words, so that /pl/search/ finds the inflected
forms of a word in pages, exchange listings and forum posts; Italian with PostgreSQL's own
"italian"; without the dictionary files Polish falls back to "simple", and SQLite still finds
the words as typed."""

import os
import re
import subprocess
from pathlib import Path

import pytest
from django.db import connection
from django.utils import translation
from wagtail.models import Locale

from cms.search import languages
from cms.search.text import text_matches
from exchange.models import Listing
from tests.cms.factories import make_story
from tests.cms.searching import result_titles
from tests.exchange.factories import ListingFactory
from tests.factories import UserFactory
from tests.forum.factories import WorkingGroupFactory, member, topic_with_posts

pytestmark = pytest.mark.django_db

ON_POSTGRESQL = connection.vendor == "postgresql"
INSTALL_SCRIPT = Path(languages.__file__).parent / "tsearch_data" / "install-polish.sh"


@pytest.fixture
def polish_config():
    """The "polish" configuration must exist on PostgreSQL: CI installs its files (.ci/run);
    elsewhere a machine without them skips these tests."""
    if not ON_POSTGRESQL:
        pytest.skip("text-search configurations are PostgreSQL's")
    if languages.POLISH not in languages.installed_configs():
        if os.environ.get("CI"):
            pytest.fail("CI installs the Polish dictionary files: no 'polish' configuration")
        pytest.skip("the Polish dictionary files are not on this database server")


def polish_search(client, query, **params):
    response = client.get("/pl/search/", {"q": query, **params})
    assert response.status_code == 200
    return response.content.decode()


def polish_page(title, summary):
    """A story published in English and its Polish translation, both with the Polish text."""
    polish = Locale.objects.get_or_create(language_code="pl")[0]
    story = make_story(title=title, summary=summary)
    translation = story.copy_for_translation(polish, copy_parents=True)
    translation.save_revision().publish()
    return translation


def lexemes(config, text):
    with connection.cursor() as cursor:
        cursor.execute("SELECT tsvector_to_array(to_tsvector(%s::regconfig, %s))", [config, text])
        return set(cursor.fetchone()[0])


def test_polish_words_are_reduced_to_their_base_form_and_stop_words_dropped(polish_config):
    assert lexemes("polish", "tkaniny") == lexemes("polish", "tkanin") == {"tkanina"}
    assert lexemes("polish", "recyklingu") == {"recykling"}
    # Stop words (cms/search/tsearch_data/polish.stop) are not indexed; unknown words are kept.
    assert lexemes("polish", "recykling w Polsce i we Włoszech") >= {"recykling", "polska"}
    assert not lexemes("polish", "w i we oraz się")
    assert lexemes("polish", "NIR-sorting TEX4IM") >= {"nir", "sorting", "tex4im"}


def test_polish_pages_are_found_by_another_form_of_a_word(client, polish_config):
    polish_page("Recykling tkanin w Łodzi", "Tkaniny bawełniane z odzysku")
    polish_page("Festiwal mody", "Pokaz kolekcji")

    assert result_titles(polish_search(client, "recyklingu")) == ["Recykling tkanin w Łodzi"]
    assert result_titles(polish_search(client, "tkanina")) == ["Recykling tkanin w Łodzi"]
    assert result_titles(polish_search(client, "bawełnianych tkanin")) == [
        "Recykling tkanin w Łodzi"
    ]


def test_polish_listings_and_forum_posts_are_found_by_another_form(client, polish_config):
    ListingFactory(title="Tkanina bawełniana, ścinki", description="Odpady poprodukcyjne.")
    ListingFactory(title="Przędza wełniana", description="Nadwyżka magazynowa.")
    poster = UserFactory()
    group = WorkingGroupFactory(name="Sortowanie", slug="sortowanie")
    member(group, poster)
    topic_with_posts(group, poster, subject="Recykling odpadów", content="Pilotaż w Prato.")

    html = polish_search(client, "tkaniny")
    assert result_titles(html) == ["Tkanina bawełniana, ścinki"]
    html = polish_search(client, "recyklingu odpady")
    assert result_titles(html) == ["Recykling odpadów"]
    # Every word must match, in some form: "wełnianej tkaniny" finds neither listing.
    assert result_titles(polish_search(client, "wełnianej tkaniny")) == []
    # A word's beginning still finds it (as before, through the "simple" index).
    assert result_titles(polish_search(client, "przędz")) == ["Przędza wełniana"]


def test_private_polish_posts_stay_hidden_from_outsiders(client, polish_config):
    poster = UserFactory()
    secret = WorkingGroupFactory(name="Tajna", slug="tajna", visibility="private")
    member(secret, poster)
    topic_with_posts(secret, poster, subject="Cennik tkanin", content="Poufne ceny.")

    assert result_titles(polish_search(client, "tkaniny")) == []
    client.force_login(poster)
    assert result_titles(polish_search(client, "tkaniny")) == ["Cennik tkanin"]


def test_the_search_uses_each_configurations_index(polish_config):
    ListingFactory(title="Tkanina", description="Ścinki")
    with translation.override("pl"):
        listings = text_matches(Listing.objects.order_by(), ("title", "description"), "tkaniny")
        sql, params = listings.query.sql_with_params()
    with connection.cursor() as cursor:
        # On a one-row table any plan is as cheap: rule out reading the whole table, in its
        # order or through another index (which a full index scan can), so that only the text
        # indexes' bitmaps are left if they serve the query.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # A word's Polish forms through the "polish" index, its beginning through the "simple" one.
    assert re.search(r"Index Scan on exchange_listing_text_polish\b", plan), plan
    assert re.search(r"Index Scan on exchange_listing_text\b(?!_)", plan), plan


@pytest.mark.skipif(not ON_POSTGRESQL, reason="text-search configurations are PostgreSQL's")
def test_italian_uses_postgresqls_italian_configuration(client):
    assert languages.config_for_language("it") == "italian"
    ListingFactory(title="Tessuti di lana rigenerata", description="Scarti di produzione.")
    html = client.get("/it/search/", {"q": "tessuto"}).content.decode()
    assert result_titles(html) == ["Tessuti di lana rigenerata"]


@pytest.mark.skipif(not ON_POSTGRESQL, reason="text-search configurations are PostgreSQL's")
def test_without_the_dictionary_files_polish_falls_back_to_simple(client, monkeypatch):
    monkeypatch.setattr(languages, "POLISH", "polish_missing")
    monkeypatch.setattr(languages, "POLISH_DICTIONARY", "polish_missing_ispell")
    monkeypatch.setattr(languages, "POLISH_DICTIONARY_FILES", "no_such_dictionary")
    assert languages.polish_config_create(connection) is False
    # The failed CREATE left the transaction usable.
    assert "polish_missing" not in languages.installed_configs.__wrapped__()

    monkeypatch.setattr(languages, "installed_configs", lambda using="default": frozenset())
    assert languages.config_for_language("pl") == "simple"
    ListingFactory(title="Tkanina bawełniana", description="Ścinki")
    # Unstemmed: the word as typed, or its beginning, is still found; another form is not.
    assert result_titles(polish_search(client, "tkanina")) == ["Tkanina bawełniana"]
    assert result_titles(polish_search(client, "tkan")) == ["Tkanina bawełniana"]
    assert result_titles(polish_search(client, "tkaniny")) == []


def test_polish_words_as_typed_are_found_on_every_database(client):
    """The SQLite fallback (and PostgreSQL without the dictionary) finds Polish words as typed."""
    polish_page("Recykling tkanin", "Tkaniny z odzysku")
    ListingFactory(title="Tkanina bawełniana", description="Ścinki")
    poster = UserFactory()
    group = WorkingGroupFactory(name="Sortowanie", slug="sortowanie")
    member(group, poster)
    topic_with_posts(group, poster, subject="Włókna z recyklingu", content="Pilotaż.")

    assert result_titles(polish_search(client, "recykling tkanin")) == ["Recykling tkanin"]
    assert result_titles(polish_search(client, "bawełniana")) == ["Tkanina bawełniana"]
    assert result_titles(polish_search(client, "włókna")) == ["Włókna z recyklingu"]


def test_the_install_script_converts_a_dictionary_and_installs_the_stop_words(tmp_path):
    hunspell, target = tmp_path / "hunspell", tmp_path / "tsearch_data"
    hunspell.mkdir()
    target.mkdir()
    (hunspell / "pl_PL.aff").write_bytes(
        "SET ISO8859-2\nSFX a Y 1\nSFX a 0 y .\n".encode("iso8859-2")
    )
    (hunspell / "pl_PL.dic").write_bytes("1\nwłókno/a\n".encode("iso8859-2"))

    subprocess.run(  # noqa: S603 (our own script)
        ["/bin/sh", str(INSTALL_SCRIPT), str(target)],
        env={**os.environ, "HUNSPELL_DIR": str(hunspell)},
        check=True,
        capture_output=True,
    )

    assert (target / "pl_pl.dict").read_text(encoding="utf-8") == "1\nwłókno/a\n"
    assert (target / "pl_pl.affix").read_text(encoding="utf-8").startswith("SET ISO8859-2")
    stop_words = (target / "polish.stop").read_text(encoding="utf-8").split()
    assert {"i", "w", "się", "że", "oraz"} <= set(stop_words)
    assert "tkanina" not in stop_words
