"""Each language's PostgreSQL text-search configuration, and the Polish one we create.

PostgreSQL ships Snowball stemmers for English and Italian ("english", "italian") but nothing
for Polish, whose inflection no suffix-stripper handles ("tkanina", "tkaniny", "tkanin";
"recykling", "recyklingu"). The "polish" configuration made here maps words through an Ispell
dictionary built from the Polish Hunspell dictionary (which gives each inflected form its
base form), with a list of Polish stop words, then through "simple" for the words it does not
know (names, English terms, codes). It needs three files in the database server's
``tsearch_data`` directory: ``pl_pl.affix`` and ``pl_pl.dict`` (Debian's hunspell-pl, converted
by postgresql-common) and ``polish.stop`` (``tsearch_data/polish.stop`` here):
``tsearch_data/install-polish.sh`` puts them there. Without them "polish" is not created and
Polish text is searched with "simple" (lower-cased words, no stemming) — nothing fails.

``text_search_setup()`` runs after every migrate and as ``manage.py text_search_setup``: it
creates the configuration when the files are there, re-indexes Polish content for it, and
creates the GIN indexes of the texts the apps search in the visitor's language
(cms.hooks.TEXT_SEARCH_INDEXES), one per configuration.
"""

import logging
from functools import cache

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import DatabaseError, connections, transaction
from django.utils import translation
from modelsearch.backends import get_search_backend
from modelsearch.index import get_indexed_models
from wagtail import hooks

from cms.hooks import TEXT_SEARCH_INDEXES

logger = logging.getLogger(__name__)

FALLBACK_CONFIG = "simple"
POLISH = "polish"
POLISH_DICTIONARY = "polish_ispell"
# Debian's pg_updatedicts names a converted Hunspell dictionary after its locale, lower-cased.
POLISH_DICTIONARY_FILES = "pl_pl"
POLISH_STOP_WORDS = "polish"
# The parser's token types that are words (not numbers, URLs, e-mail addresses, ...).
WORD_TOKENS = ("asciiword", "asciihword", "hword_asciipart", "word", "hword", "hword_part")


def language_configs():
    """{language code: configuration} of the search backend (settings.WAGTAILSEARCH_BACKENDS)."""
    return settings.WAGTAILSEARCH_BACKENDS["default"].get("LANGUAGE_CONFIGS", {})


@cache
def installed_configs(using="default"):
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT cfgname FROM pg_catalog.pg_ts_config")
        return frozenset(row[0] for row in cursor.fetchall())


def config_for_language(language_code, *, configs=None, default=FALLBACK_CONFIG):
    """The configuration to index and search text of ``language_code`` with: the one
    ``configs`` (LANGUAGE_CONFIGS) names if the server has it, else "simple"; ``default`` for a
    language ``configs`` does not name."""
    configs = language_configs() if configs is None else configs
    config = configs.get((language_code or "").split("-")[0].lower())
    if config is None:
        return default
    return config if config in installed_configs() else FALLBACK_CONFIG


def active_language_config():
    """The configuration of the active language, for text of no known language (forum posts,
    listings) searched by a visitor: their words, stemmed as their language stems them."""
    return config_for_language(translation.get_language())


def polish_config_create(connection):
    """Create the "polish" configuration if the server has its files. Returns whether it was
    created (False when it already exists or the files are missing)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_catalog.pg_ts_config WHERE cfgname = %s", [POLISH])
        if cursor.fetchone():
            return False
        try:
            with transaction.atomic(using=connection.alias):
                cursor.execute(
                    f"CREATE TEXT SEARCH DICTIONARY {POLISH_DICTIONARY} (TEMPLATE = ispell, "
                    f"DictFile = {POLISH_DICTIONARY_FILES}, AffFile = {POLISH_DICTIONARY_FILES}, "
                    f"StopWords = {POLISH_STOP_WORDS})"
                )
        except DatabaseError as error:  # the files are not on the server
            logger.info("No Polish text-search dictionary, Polish is searched unstemmed: %s", error)
            return False
        cursor.execute(f"CREATE TEXT SEARCH CONFIGURATION {POLISH} (COPY = pg_catalog.simple)")
        cursor.execute(
            f"ALTER TEXT SEARCH CONFIGURATION {POLISH} ALTER MAPPING FOR {', '.join(WORD_TOKENS)} "
            f"WITH {POLISH_DICTIONARY}, simple"
        )
    return True


def language_reindex(language_code, *, using="default"):
    """Index again the objects of one language (after its configuration changed)."""
    backend = get_search_backend()
    count = 0
    for model in get_indexed_models():
        if not any(field.name == "locale" for field in model._meta.concrete_fields):
            continue
        objects = list(
            model.get_indexed_objects()
            .using(using)
            .filter(locale__language_code=language_code)
            .order_by("pk")
        )
        if objects:
            backend.get_index_for_model(model).add_items(model, objects)
            count += len(objects)
    return count


def text_index_names(connection):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_catalog.pg_indexes")
        return {row[0] for row in cursor.fetchall()}


def text_indexes_create(connection):
    """The GIN indexes of the texts searched in the visitor's language (TEXT_SEARCH_INDEXES):
    one per configuration the server has. Returns the names of those created."""
    configs = {FALLBACK_CONFIG} | (set(language_configs().values()) & installed_configs())
    existing = text_index_names(connection)
    tables = set(connection.introspection.table_names())
    created = []
    for fn in hooks.get_hooks(TEXT_SEARCH_INDEXES):
        for text_index in fn():
            if text_index.model._meta.db_table not in tables:  # migrated back before it
                continue
            for config in sorted(configs):
                name = text_index.index_name(config)
                if name in existing:
                    continue
                index = GinIndex(SearchVector(*text_index.fields, config=config), name=name)
                with connection.schema_editor() as editor:
                    editor.add_index(text_index.model, index)
                created.append(name)
    return created


def text_search_setup(*, using="default"):
    """The "polish" configuration when its files are there (with Polish content indexed for
    it), and the apps' text-search indexes. Nothing on databases other than PostgreSQL.
    Returns what it did, one line each."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return []
    done = []
    if polish_config_create(connection):
        installed_configs.cache_clear()
        done.append(f'Created the "{POLISH}" text-search configuration.')
        count = language_reindex("pl", using=using)
        if count:
            done.append(f"Indexed {count} Polish objects again with it.")
    installed_configs.cache_clear()
    done.extend(f"Created the index {name}." for name in text_indexes_create(connection))
    return done
