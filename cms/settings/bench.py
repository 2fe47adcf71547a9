"""`manage.py bench_pages` serves the site with gunicorn in the settings it runs with
(BENCH_BASE_SETTINGS, production for `make bench`), plus one bare Django view at /_bench/bare/
that the page cache leaves alone: the reference every page's throughput is compared with. Rate
limits are out of reach (still counted): one member asking for the search page thousands of
times a minute would otherwise be answered with 429s, which are not the page."""

import importlib
import os

_base = importlib.import_module(os.environ.get("BENCH_BASE_SETTINGS", "cms.settings.production"))
globals().update({name: value for name, value in vars(_base).items() if name.isupper()})

ROOT_URLCONF = "cms.bench_urls"
PAGE_CACHE_EXCLUDED = [*_base.PAGE_CACHE_EXCLUDED, "/_bench/"]
RATELIMITS = dict.fromkeys(_base.RATELIMITS, "1000000/s")
