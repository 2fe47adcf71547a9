"""The pages a site search finds, read once for every section.

The search page shows one facet per section with its count, and pages through one section or
all of them. Counting each section with its own full-text query (a COUNT per section, another
for the pages of no section) cost one search per section; on PostgreSQL each of them joined the
index entries to the pages under an estimate no statistic covers, and after ``ANALYZE`` the
planner made them nested loops of seconds each (docs/performance.md, "Search on PostgreSQL").
Here the matching pages' ids and paths are read in one query, best first; the sections are
counted and sliced from that list, and only the pages of the slice shown are read in full."""

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page


class RankedPages:
    """Pages, best first, as HitList takes them: [(id, content type id)], counted without a
    query; a slice is read as its specific pages (one query per page type: the types are known
    already), in the same order."""

    def __init__(self, found):
        self.found = found

    def count(self):
        return len(self.found)

    def __len__(self):
        return len(self.found)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        found = self.found[index]
        ids_by_type = defaultdict(list)
        for pk, content_type_id in found:
            ids_by_type[content_type_id].append(pk)
        pages = {}
        for content_type_id, ids in ids_by_type.items():
            model = ContentType.objects.get_for_id(content_type_id).model_class() or Page
            pages.update((page.pk, page) for page in model.objects.filter(pk__in=ids))
        return [pages[pk] for pk, _content_type_id in found if pk in pages]


class PageMatches:
    """The pages of ``pages`` (already narrowed to what the visitor may read) that match
    ``query``, in the search backend's order of relevance: ids and paths read in one query,
    the first time they are asked for."""

    def __init__(self, pages, query):
        self.pages = pages
        self.query = query
        self._found = None

    @property
    def found(self):
        """[(page id, path, content type id)], best first."""
        if self._found is None:
            results = self.pages.search(self.query)
            if hasattr(results, "get_queryset"):
                # The backend's ordered queryset (PostgreSQL's and SQLite's have one) read as
                # values: 1,700 Page instances cost ~50 ms of CPU, their ids and paths ~7 ms.
                self._found = list(
                    results.get_queryset().values_list("pk", "path", "content_type_id")
                )
            else:  # no results (an empty query) or another backend
                self._found = [(page.pk, page.path, page.content_type_id) for page in results]
        return self._found

    def all(self):
        return RankedPages([(pk, type_id) for pk, _path, type_id in self.found])

    def under(self, path):
        """The matches in the subtree at ``path``."""
        return RankedPages(
            [(pk, type_id) for pk, page_path, type_id in self.found if page_path.startswith(path)]
        )

    def outside(self, paths):
        """The matches under none of ``paths``."""
        paths = tuple(paths)
        return RankedPages(
            [
                (pk, type_id)
                for pk, page_path, type_id in self.found
                if not page_path.startswith(paths)
            ]
        )
