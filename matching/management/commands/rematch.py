from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from matching import services, tasks
from requirements.models import Requirement


class Command(BaseCommand):
    help = "Rescore one or all active requirements (inline with --sync, else through Celery)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--requirement", metavar="REF", help="reference of one requirement")
        parser.add_argument("--sync", action="store_true", help="score here and now, not queued")

    def handle(self, *args, requirement: str | None = None, sync: bool = False, **options):  # type: ignore[no-untyped-def]
        if requirement:
            found = Requirement.objects.filter(reference=requirement).first()
            if found is None:
                raise CommandError(f"requirement {requirement}: no such reference")
            if not found.is_active:
                raise CommandError(
                    f"requirement {requirement}: status {found.status} is not active "
                    "(only OPEN and SHORTLISTED requirements are matched)"
                )
            ids = [found.pk]
        else:
            ids = services.active_requirement_ids()
        refs = dict(Requirement.objects.filter(pk__in=ids).values_list("pk", "reference"))
        if not sync:
            for pk in ids:
                tasks.rescore_requirement.delay(pk)
            self.stdout.write(f"enqueued {len(ids)} requirement(s) for rescoring")
            return
        started = time.perf_counter()
        for pk in ids:
            result = services.requirement_rescore(requirement_id=pk)
            self.stdout.write(
                f"{refs[pk]}: {result.eligible} eligible, {result.kept} kept, "
                f"{result.changed} changed, {result.removed} removed"
            )
        self.stdout.write(
            f"scored {len(ids)} requirement(s) in {time.perf_counter() - started:.2f} s"
        )
