"""Wagtail's database search backend, with each language's own text-search configuration on
PostgreSQL.

PostgreSQL stems words with the dictionary of a text-search configuration ("english" turns
"recycling" into "recycl", "italian" turns "riciclaggio" into "ricicl"). Wagtail's PostgreSQL
backend takes one configuration for everything, so Italian pages indexed with "english" are
never stemmed and an Italian query misses the plural of its own word. This backend indexes an
object that has a ``locale`` (a translatable page or snippet) with the configuration of that
locale's language and searches a model with a ``locale`` with the configuration of the active
language (site search filters on the active locale, so both sides agree); objects without a
locale (organisations, ...) use ``SEARCH_CONFIG``.

Settings (WAGTAILSEARCH_BACKENDS["default"]):
    SEARCH_CONFIG     the configuration of objects without a language ("english").
    LANGUAGE_CONFIGS  {language code: configuration}. A configuration the server does not have
                      falls back to "simple": lower-cased words, no stemming. PostgreSQL ships no
                      "polish": cms/search/languages.py creates one from the Polish Hunspell
                      dictionary when its files are on the server.

On SQLite (the embedded default) and other databases this is Wagtail's own database backend:
SQLite's FTS5 has no stemmer per language, so every language is searched the same way.
"""

from copy import copy
from functools import cache

from django.db import ProgrammingError, connection, models
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Cast
from django.utils import translation
from modelsearch.backends.database import SearchBackend as database_backend
from modelsearch.backends.database.postgres.postgres import (
    IndexEntry,
    PostgresIndex,
    PostgresSearchBackend,
    PostgresSearchQueryCompiler,
    PostgresSearchResults,
)
from modelsearch.query import Fuzzy, MatchAll, Not
from modelsearch.utils import get_descendants_content_types_pks

from .languages import config_for_language


@cache
def _locale_languages():
    from wagtail.models import Locale

    return dict(Locale.objects.values_list("pk", "language_code"))


def locale_language(locale_id):
    languages = _locale_languages()
    if locale_id not in languages:  # a locale created since: read them again
        _locale_languages.cache_clear()
        languages = _locale_languages()
    return languages.get(locale_id)


def has_language(model):
    return any(field.name == "locale" for field in model._meta.concrete_fields)


class LanguageIndex(PostgresIndex):
    def add_items(self, model, objs):
        """Index the objects of each language with that language's configuration."""
        by_config = {}
        for obj in objs:
            config = self.backend.config_for_language(
                locale_language(getattr(obj, "locale_id", None))
            )
            by_config.setdefault(config, []).append(obj)
        for config, group in by_config.items():
            backend = copy(self.backend)
            backend.config = config
            PostgresIndex(backend).add_items(model, group)


def integer_pk(model):
    """Whether ``model``'s primary key (through a page's parent link) is an integer."""
    pk = model._meta.pk
    while pk.is_relation:
        pk = pk.target_field
    return isinstance(pk, models.IntegerField | models.AutoField)


class LanguageQueryCompiler(PostgresSearchQueryCompiler):
    def get_config(self, backend):
        if has_language(self.queryset.model):
            return backend.config_for_language(translation.get_language())
        return backend.config

    def matching_objects(self, config):
        """The objects whose index entry matches, unordered (a semi-join on ``id =
        object_id::integer``, see ``search``); None where Wagtail's own search is used (given
        fields, a match-all or fuzzy query, a key that is not an integer)."""
        model = self.queryset.model
        if (
            self.fields is not None
            or isinstance(self.query, MatchAll | Fuzzy)
            or (isinstance(self.query, Not) and isinstance(self.query.subquery, MatchAll))
            or not integer_pk(model)
        ):
            return None
        entries = IndexEntry._default_manager.filter(
            content_type_id__in=get_descendants_content_types_pks(model)
        )
        matching = entries.alias(_vector_=F("title")._combine(F("body"), "||", False)).filter(
            _vector_=self.build_tsquery(self.query, config=config)
        )
        return self.queryset.filter(
            pk__in=matching.values(_object_pk=Cast("object_id", models.IntegerField()))
        )

    def search(self, config, start, stop, score_field=None, backend=None):
        """The objects whose index entry matches, found entries first.

        Wagtail joins the index entries to the objects on ``object_id = id::varchar`` and
        filters on ``(title || body) @@ query``; no statistic covers either, so PostgreSQL
        guesses one matching row and, once the tables have statistics, rescans the objects for
        every entry found (a search of the large data set's pages: 1,705 entries x 1,001 pages,
        seconds per COUNT). Here the matching entries are read once (a semi-join on
        ``id = object_id::integer``, probed by the objects' primary key whatever the guess)
        and each one's rank is read by its unique (content type, object id) index: the same
        results in the same order, in milliseconds (docs/performance.md)."""
        queryset = self.matching_objects(config)
        if queryset is None:
            return super().search(config, start, stop, score_field=score_field, backend=backend)
        entries = IndexEntry._default_manager.filter(
            content_type_id__in=get_descendants_content_types_pks(self.queryset.model)
        )
        # Wagtail's rank (title weighted by its length norm, plus body), of the object's entry.
        rank = self._build_rank_expression(
            [(F("title"), F("title_norm")), (F("body"), 1.0)], config
        )
        entry_rank = entries.filter(
            object_id=Cast(OuterRef("pk"), models.CharField(max_length=50))
        ).annotate(_rank_=rank)
        rank_of_object = Subquery(entry_rank.values("_rank_")[:1], output_field=models.FloatField())
        return self._apply_ordering_and_scoring(queryset, rank_of_object, start, stop, score_field)


class LanguageSearchResults(PostgresSearchResults):
    def _do_count(self):
        """The matching objects counted without their rank and order (which a count does not
        read, but which cost some 2 ms of CPU to build for each kind the site search counts)."""
        if self.start or self.stop is not None:
            return super()._do_count()
        compiler = self.query_compiler
        if not isinstance(compiler, LanguageQueryCompiler):  # an autocomplete: Wagtail's count
            return super()._do_count()
        matching = compiler.matching_objects(compiler.get_config(self.backend))
        if matching is None:
            return super()._do_count()
        try:
            return matching.count()
        except ProgrammingError as error:
            self._handle_missing_postgres_extension(error)


class LanguageSearchBackend(PostgresSearchBackend):
    query_compiler_class = LanguageQueryCompiler
    index_class = LanguageIndex
    results_class = LanguageSearchResults

    def __init__(self, params):
        super().__init__(params)
        self.language_configs = params.get("LANGUAGE_CONFIGS", {})

    def config_for_language(self, language_code):
        if language_code is None:
            return self.config
        return config_for_language(
            language_code, configs=self.language_configs, default=self.config
        )


def SearchBackend(params):
    if connection.vendor == "postgresql":
        return LanguageSearchBackend(params)
    return database_backend(params)
