"""Every page of the demo in Polish and Italian, translated through wagtail-localize.

Runs after every app's demo loader (``LOAD_DEMO`` order 1000). It walks the English page tree
(cms never imports the apps: pages are pages) and, for each page and language:

- a page with no translation gets one made by wagtail-localize (a TranslationSource and a
  Translation, so editors see and finish it in the admin's translation editor). The strings this
  file knows (section titles, introductions) are filled in; the rest fall back to English until an
  editor translates them;
- a translation copied earlier with its English title (a parent copied along with a child) gets
  its title from the table below.
"""

import polib
from django.conf import settings
from wagtail.models import Locale, Page
from wagtail_localize.models import Translation, TranslationSource

from cms.demo.pages import _publish

LANGUAGES = ("pl", "it")

# English -> (Polish, Italian): titles and introductions of the demo's indexes and home page.
STRINGS = {
    "Virtual Centre resources": ("Zasoby Wirtualnego Centrum", "Risorse del Centro Virtuale"),
    "Pilot cases and success stories": (
        "Przypadki pilotażowe i historie sukcesu",
        "Casi pilota e storie di successo",
    ),
    "Forum and working groups": ("Forum i grupy robocze", "Forum e gruppi di lavoro"),
    "Training modules": ("Moduły szkoleniowe", "Moduli formativi"),
    "Technological solutions": ("Rozwiązania technologiczne", "Soluzioni tecnologiche"),
    "Research and technological trends": (
        "Badania i trendy technologiczne",
        "Ricerca e tendenze tecnologiche",
    ),
    "Newsletters from partner regions": (
        "Biuletyny regionów partnerskich",
        "Newsletter delle regioni partner",
    ),
    "Legislation": ("Prawodawstwo", "Legislazione"),
    "Events": ("Wydarzenia", "Eventi"),
    "Funding calls": ("Nabory wniosków", "Bandi di finanziamento"),
    "Training": ("Szkolenia", "Formazione"),
    "Textile Virtual Centre": ("Wirtualne Centrum Tekstylne", "Centro Virtuale Tessile"),
}


def _title(english, language):
    pair = STRINGS.get(english)
    return pair[LANGUAGES.index(language)] if pair else None


def _localized_text(english, language, texts):
    """The translation of one segment: a known string, or a known string inside markup."""
    known = texts.get(english)
    if known:
        return known
    for source, target in texts.items():
        if len(source) > 20 and source in english:
            return english.replace(source, target)
    return None


def translate_page(page, locale, texts):
    """A published translation of ``page`` into ``locale`` made by wagtail-localize, with the
    segments ``texts`` knows translated; the others fall back to the English text."""
    source, created = TranslationSource.get_or_create_from_instance(page)
    if not created:
        source.update_from_db()
    translation, _created = Translation.objects.get_or_create(
        source=source, target_locale=locale, defaults={"enabled": True}
    )
    po = translation.export_po()
    filled = polib.POFile()
    filled.metadata = po.metadata
    for entry in po:
        text = _localized_text(entry.msgid, locale.language_code, texts)
        if text:
            entry.msgstr = text
            filled.append(entry)
    if len(filled):
        translation.import_po(filled, tool_name="load_demo")
    translation.save_target(publish=True)
    return page.get_translation(locale)


def load_translations(*, stdout, style):
    if not getattr(settings, "DEMO_TRANSLATIONS", True):
        return  # tests that need the demo's pages but not their translations
    stdout.write(style.MIGRATE_HEADING("Translations: every page in Polish and Italian"))
    english = Locale.get_default()
    home = Page.objects.filter(depth=2, locale=english).first()
    if home is None:
        return
    texts = {}
    for english_text, pair in STRINGS.items():
        for language, text in zip(LANGUAGES, pair, strict=True):
            texts.setdefault(language, {})[english_text] = text
    extra = _intros()
    made = 0
    for page in home.get_descendants(inclusive=True).live().specific().order_by("path"):
        for language in LANGUAGES:
            locale = Locale.objects.get(language_code=language)
            existing = page.get_translation_or_none(locale)
            if existing is None:
                translate_page(page, locale, {**texts[language], **extra.get(language, {})})
                made += 1
            else:
                _fix_copied_translation(page, existing.specific, language, texts, extra)
    stdout.write(f"  {made} translations made")


# English -> (Polish, Italian): the introductions of the demo's home page and sections (their
# English text is in cms/demo/ and the home page's data migration).
INTRO_TRANSLATIONS = {
    "The reference point for textile recycling and the circular economy of the European textile regions: resources, training, working groups and the M3P materials exchange.": (
        "Punkt odniesienia dla recyklingu tekstyliów i gospodarki o obiegu zamkniętym europejskich regionów tekstylnych: zasoby, szkolenia, grupy robocze i giełda materiałów M3P.",
        "Il punto di riferimento per il riciclo tessile e l'economia circolare delle regioni tessili europee: risorse, formazione, gruppi di lavoro e la borsa dei materiali M3P.",
    ),
    "The reference point for textile recycling and the circular economy: seven sections, each linking to the people behind the resources.": (
        "Punkt odniesienia dla recyklingu tekstyliów i gospodarki o obiegu zamkniętym: siedem działów, każdy z odnośnikami do autorów zasobów.",
        "Il punto di riferimento per il riciclo tessile e l'economia circolare: sette sezioni, ognuna con i collegamenti a chi ha creato le risorse.",
    ),
    "How companies, recyclers and clusters of the partner regions turned textile waste into material.": (
        "Jak firmy, recyklerzy i klastry regionów partnerskich zamienili odpady tekstylne w surowiec.",
        "Come aziende, riciclatori e cluster delle regioni partner hanno trasformato i rifiuti tessili in materia prima.",
    ),
    "Working groups of clusters, researchers and companies discussing recycling challenges.": (
        "Grupy robocze klastrów, naukowców i firm omawiające wyzwania recyklingu.",
        "Gruppi di lavoro di cluster, ricercatori e aziende che discutono le sfide del riciclo.",
    ),
    "Training modules on textile recycling and the circular economy, with their developers.": (
        "Moduły szkoleniowe o recyklingu tekstyliów i gospodarce o obiegu zamkniętym, z ich autorami.",
        "Moduli formativi sul riciclo tessile e l'economia circolare, con i loro sviluppatori.",
    ),
    "Sorting, recycling and remanufacturing technologies, with their developers and readiness level.": (
        "Technologie sortowania, recyklingu i ponownego wytwarzania, z ich twórcami i poziomem gotowości.",
        "Tecnologie di selezione, riciclo e rigenerazione, con i loro sviluppatori e il livello di maturità.",
    ),
    "Publications and trend reports on textile recycling, linked to their creators.": (
        "Publikacje i raporty o trendach w recyklingu tekstyliów, z odnośnikami do ich autorów.",
        "Pubblicazioni e rapporti sulle tendenze del riciclo tessile, con i collegamenti ai loro autori.",
    ),
    "The regional newsletters of the partner clusters and agencies.": (
        "Regionalne biuletyny klastrów i agencji partnerskich.",
        "Le newsletter regionali dei cluster e delle agenzie partner.",
    ),
    "EU and national law on textile waste, with links to the original sources.": (
        "Prawo unijne i krajowe dotyczące odpadów tekstylnych, z odnośnikami do źródeł.",
        "Normativa europea e nazionale sui rifiuti tessili, con i collegamenti alle fonti originali.",
    ),
    "Shared events of the partner networks: meetings, workshops, open days and webinars.": (
        "Wspólne wydarzenia sieci partnerskich: spotkania, warsztaty, dni otwarte i webinaria.",
        "Eventi comuni delle reti partner: incontri, workshop, giornate aperte e webinar.",
    ),
    "Funding programmes that can foster cooperation between the partner regions.": (
        "Programy finansowania, które mogą wspierać współpracę regionów partnerskich.",
        "Programmi di finanziamento che possono favorire la cooperazione tra le regioni partner.",
    ),
}


def _fix_copied_translation(page, existing, language, texts, extra):
    """A translation copied with English text (e.g. a parent copied along with a child): give it
    the title and introduction this file knows."""
    changed = False
    title = _title(page.title, language)
    if title and existing.title == page.title:
        existing.title, existing.draft_title, changed = title, title, True
    intro = str(getattr(page, "intro", "") or "")
    if intro and str(getattr(existing, "intro", "") or "") == intro:
        localized = _localized_text(intro, language, extra.get(language, {}))
        if localized:
            existing.intro, changed = localized, True
    if changed:
        existing.alias_of = None
        existing.save()
        _publish(existing)


def _intros():
    result = {}
    for english_text, pair in INTRO_TRANSLATIONS.items():
        for language, text in zip(LANGUAGES, pair, strict=True):
            result.setdefault(language, {})[english_text] = text
    return result
