"""Measure the ranking quality of matching on a labelled set (see exchange/evaluation.py)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from exchange.evaluation import evaluate, load_set

DEFAULT_SET = Path(settings.BASE_DIR) / "tests" / "exchange" / "labelled_set.json"


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Mean precision@3, nDCG@5 and never-pairs proposed on a labelled set (rolled back)."

    def add_arguments(self, parser):
        parser.add_argument("--set", default=str(DEFAULT_SET), help="Path of the labelled set.")
        parser.add_argument("--verbose-pairs", action="store_true", help="Print each ranking.")

    def handle(self, *args, **options):
        labelled = load_set(options["set"])
        try:
            with transaction.atomic():
                result = evaluate(labelled)
                raise Rollback
        except Rollback:
            pass
        out = self.stdout.write
        out(f"Labelled set: {len(labelled['offers'])} offers, {len(labelled['wanted'])} wanted")
        if options["verbose_pairs"]:
            for row in result["per_wanted"]:
                out(
                    f"  {row['wanted']}: p@3 {row['precision_at_3']:.2f}, "
                    f"nDCG@5 {row['ndcg_at_5']:.2f}, top {', '.join(row['top'])}"
                )
        out(f"mean precision@3: {result['precision_at_3']:.3f} (target 0.8)")
        out(f"mean nDCG@5: {result['ndcg_at_5']:.3f} (target 0.85)")
        out(f"never-pairs proposed: {len(result['never_proposed'])} (target 0)")
        for wanted, offer in result["never_proposed"]:
            out(f"  never-pair proposed: {offer} to {wanted}")
        for wanted, offer in result["missed"]:
            out(f"  graded offer not proposed: {offer} to {wanted}")
        for wanted, offer in result["ungraded"]:
            out(f"  proposed but not graded: {offer} to {wanted}")
