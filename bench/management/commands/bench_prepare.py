import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cases.models import ActionKind, Case, Problem
from conventions.models import Convention
from iscg.demo import DEMO_PASSWORD
from iscg.models import Department, Membership, User


class Command(BaseCommand):
    help = "Écrit bench/targets.json : comptes et objets de l'Ain que mesure le banc d'essai."

    def add_arguments(self, parser):
        parser.add_argument("--output", default="bench/targets.json")

    def handle(self, *args, output, **options):
        ain = Department.objects.filter(code="01").first()
        worker = User.objects.filter(email="intervenante@demo.iscg.fr").first()
        if ain is None or worker is None:
            raise CommandError("Base de mesure vide : lancez d'abord manage.py bench_generate.")
        post = worker.holdings.current().get().post
        case = Case.objects.filter(post=post, closed_on__isnull=True).order_by("-opened_on").first()
        agent = User.objects.get(email="policier@demo.iscg.fr")
        targets = {
            "accounts": {
                role: {"email": email, "password": DEMO_PASSWORD}
                for role, email in (
                    ("worker", worker.email),
                    ("unit_agent", agent.email),
                    ("prefecture", "prefecture@demo.iscg.fr"),
                    ("employer_manager", "employeur@demo.iscg.fr"),
                )
            },
            "post_id": post.pk,
            "case_id": case.pk,
            "search": "martin",
            "action_kind_id": ActionKind.objects.get(code="entretien-physique").pk,
            "site_id": post.main_site_id,
            "unit_id": Membership.objects.get(user=agent).unit_id,
            "problem_id": Problem.objects.get(code="violences-conjugales").pk,
            "convention_id": Convention.objects.filter(employer__department=ain)
            .order_by("pk")
            .first()
            .pk,
            "department_id": ain.pk,
        }
        Path(output).write_text(json.dumps(targets, indent=2))
        self.stdout.write(f"{output} écrit (accompagnement n° {case.pk}).")
