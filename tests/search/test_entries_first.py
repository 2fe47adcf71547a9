"""Wagtail searches on PostgreSQL match the index entries first (cms/search/backend.py,
LanguageQueryCompiler.search) instead of joining them to the objects under a one-row guess:
the same results, counts, ranks and order as Wagtail's own query (docs/performance.md)."""

import pytest
from django.db import connection
from modelsearch.backends.database.postgres.postgres import PostgresSearchQueryCompiler
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from cms.directory.models import Organisation
from tests.cms.factories import make_story, make_technology
from tests.factories import OrganisationFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's search query"),
]


def ours_and_wagtails(queryset, query):
    """(pk, score) of every result, best first: by our compiler and by Wagtail's."""
    results = get_search_backend().search(query, queryset)
    compiler = results.query_compiler
    config = compiler.get_config(results.backend)
    ours = compiler.search(config, None, None, score_field="_score")
    wagtails = PostgresSearchQueryCompiler.search(
        compiler, config, None, None, score_field="_score"
    )
    # Ours matches the entries first (the objects probed by their key), Wagtail's joins them.
    assert '"object_id")::integer' in str(ours.query)
    assert '"object_id")::integer' not in str(wagtails.query)
    return (
        list(ours.values_list("pk", "_score")),
        list(wagtails.values_list("pk", "_score")),
        results.count(),
    )


@pytest.mark.parametrize("query", ["hemp", "hemp fibre", "decortication"])
def test_pages_found_ranked_and_ordered_as_by_wagtails_join(query):
    make_story(title="Hemp", summary="Hemp fibre from hemp stalks, hemp decortication.")
    make_story(title="Hemp fibre pilot", summary="Fibre.")
    make_story(title="Decortication line", summary="Stalks of hemp, then fibre.")
    make_technology(title="Hemp fibre cottonisation", summary="Hemp fibre made soft.")
    make_technology(title="Flax scutching", summary="Nothing about the other plant.")
    make_story(title="Hemp draft", summary="hemp fibre decortication", live=False)

    ours, wagtails, count = ours_and_wagtails(Page.objects.live(), query)

    assert ours == wagtails
    assert count == len(wagtails) > 0
    assert all(score > 0 for _pk, score in ours)


def test_models_without_a_language_too():
    OrganisationFactory(name="Hemp Works", description="Hemp fibre processing.")
    OrganisationFactory(name="Fibre Hub", description="Hemp, flax and nettle fibre.")
    OrganisationFactory(name="Wool Cluster", description="Carded wool.")

    ours, wagtails, count = ours_and_wagtails(Organisation.objects.all(), "hemp fibre")

    assert ours == wagtails and count == 2


def test_a_count_builds_no_rank_and_a_slice_counts_its_part(monkeypatch):
    """Counting the results (each facet of the site search) counts the matching objects without
    building their rank, which a count does not read; a slice of the results counts only its
    part."""
    from cms.search.backend import LanguageQueryCompiler

    for name in ("Hemp Works", "Hemp Fibre Hub", "Hemp Cluster"):
        OrganisationFactory(name=name, description="Hemp.")
    OrganisationFactory(name="Wool Cluster", description="Carded wool.")
    results = get_search_backend().search("hemp", Organisation.objects.all())

    def no_rank(*args, **kwargs):
        raise AssertionError("a count built the rank")

    with monkeypatch.context() as patch:
        patch.setattr(LanguageQueryCompiler, "_build_rank_expression", no_rank)
        assert results.count() == 3
    assert results[1:].count() == 2
    assert results[:1].count() == 1
    assert results[5:].count() == 0
    # An autocomplete (the admin's choosers) has a compiler of its own: Wagtail's count.
    found = get_search_backend().autocomplete("hem", Organisation.objects.all())
    assert found.count() == len(list(found)) == 3
