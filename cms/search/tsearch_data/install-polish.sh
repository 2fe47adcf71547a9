#!/bin/sh
# Polish full-text search files for PostgreSQL, installed on the DATABASE SERVER (as root):
# the Polish Hunspell dictionary as pl_pl.affix / pl_pl.dict and this directory's stop words as
# polish.stop, in the server's tsearch_data directory. Then `manage.py text_search_setup` (or
# the next `migrate`) creates the "polish" text-search configuration from them
# (cms/search/languages.py).
#
#   sh install-polish.sh                  every /usr/share/postgresql/*/tsearch_data (Debian),
#                                         else `pg_config --sharedir`/tsearch_data
#   sh install-polish.sh DIR [DIR ...]    these tsearch_data directories
#
# The dictionary comes from Debian's hunspell-pl package (installed here when missing and
# apt-get is there) or from HUNSPELL_DIR (pl_PL.aff and pl_PL.dic, any other system's copy).
# On Debian, postgresql-common already converts installed Hunspell dictionaries into
# tsearch_data under these names (pg_updatedicts); elsewhere they are converted here to UTF-8.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
hunspell=${HUNSPELL_DIR:-/usr/share/hunspell}

if [ ! -f "$hunspell/pl_PL.dic" ] && [ -z "${HUNSPELL_DIR:-}" ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's Polish Hunspell dictionary (hunspell-pl)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends hunspell-pl >/dev/null
fi
if [ ! -f "$hunspell/pl_PL.aff" ] || [ ! -f "$hunspell/pl_PL.dic" ]; then
    echo "No Polish Hunspell dictionary in $hunspell (pl_PL.aff and pl_PL.dic): set HUNSPELL_DIR" >&2
    exit 1
fi

if [ $# -eq 0 ]; then
    for dir in /usr/share/postgresql/*/tsearch_data; do
        [ -d "$dir" ] && set -- "$@" "$dir"
    done
fi
if [ $# -eq 0 ] && command -v pg_config >/dev/null; then
    set -- "$(pg_config --sharedir)/tsearch_data"
fi
if [ $# -eq 0 ]; then
    echo "No PostgreSQL tsearch_data directory found: name it, e.g. sh $0 /usr/share/postgresql/15/tsearch_data" >&2
    exit 1
fi

encoding=$(sed -n 's/^SET[[:space:]]*\([A-Za-z0-9_-]*\).*/\1/p' "$hunspell/pl_PL.aff" | head -n 1)
for target in "$@"; do
    for part in affix:aff dict:dic; do
        if [ ! -e "$target/pl_pl.${part%%:*}" ]; then
            iconv -f "${encoding:-UTF-8}" -t UTF-8 -o "$target/pl_pl.${part%%:*}" "$hunspell/pl_PL.${part##*:}"
        fi
    done
    install -m 644 "$here/polish.stop" "$target/polish.stop"
    echo "Polish text-search files in $target: pl_pl.affix, pl_pl.dict, polish.stop"
done
