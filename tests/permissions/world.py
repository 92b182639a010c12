"""The test world of the permission proof: one user per role, objects in four scopes.

Every role's user lives in département A and is attached to the "own" organisations:
post P1 (employer E1, serving unit U1), unit U1, employer E1, funder F1. The scopes
designate objects relative to them:

| scope              | post                    | unit | employer | funder | département |
|--------------------|-------------------------|------|----------|--------|-------------|
| own                | P1  (E1, serves U1)     | U1   | E1       | F1     | A           |
| other_unit         | P1b (E1, serves U2)     | U2   | E1       | F1     | A           |
| other_employer     | P2  (E2, serves U2)     | U2   | E2       | F2     | A           |
| other_department   | P3  (E3, serves U3, B)  | U3   | E3       | F3     | B           |

Case data of each scope is seeded once per world with canary strings (unique per world)
in every field a unit, employer, préfecture or funder must never read.
"""

import datetime
import uuid

from django.utils import timezone

from tests.iscg.factories import (
    DepartmentFactory,
    EmployerFactory,
    FunderFactory,
    PostFactory,
    UnitFactory,
    UserFactory,
)

ROLES = (
    "worker",
    "unit_agent",
    "unit_lead",
    "employer_manager",
    "prefecture",
    "funder",
    "admin",
    "anonymous",
)
SCOPES = ("own", "other_unit", "other_employer", "other_department")
SCOPE_CODES = {"own": "o", "other_unit": "u", "other_employer": "e", "other_department": "d"}


class World:
    def __init__(self):
        self.tag = uuid.uuid4().hex[:8]
        dep_a = DepartmentFactory(code="01")
        dep_b = DepartmentFactory(code="69")
        e1, e2 = EmployerFactory(department=dep_a), EmployerFactory(department=dep_a)
        e3 = EmployerFactory(department=dep_b)
        u1, u2 = UnitFactory(department=dep_a), UnitFactory(department=dep_a)
        u3 = UnitFactory(department=dep_b)
        f1, f2 = FunderFactory(department=dep_a), FunderFactory(department=dep_a)
        f3 = FunderFactory(department=dep_b)
        p1 = PostFactory(employer=e1, units=[u1])
        p1b = PostFactory(employer=e1, units=[u2])
        p2 = PostFactory(employer=e2, units=[u2])
        p3 = PostFactory(employer=e3, units=[u3])
        self.department = {
            "own": dep_a,
            "other_unit": dep_a,
            "other_employer": dep_a,
            "other_department": dep_b,
        }
        self.employer = {"own": e1, "other_unit": e1, "other_employer": e2, "other_department": e3}
        self.unit = {"own": u1, "other_unit": u2, "other_employer": u2, "other_department": u3}
        self.funder = {"own": f1, "other_unit": f1, "other_employer": f2, "other_department": f3}
        self.post = {"own": p1, "other_unit": p1b, "other_employer": p2, "other_department": p3}
        self.users = {
            "worker": UserFactory(worker=True, post=p1, department=dep_a),
            "unit_agent": UserFactory(unit_agent=True, unit=u1, department=dep_a),
            "unit_lead": UserFactory(unit_lead=True, unit=u1, department=dep_a),
            "employer_manager": UserFactory(employer_manager=True, employer=e1, department=dep_a),
            "prefecture": UserFactory(prefecture=True, department=dep_a),
            "funder": UserFactory(funder_user=True, funder=f1, department=dep_a),
            "admin": UserFactory(admin=True, department=dep_a),
            "anonymous": None,
        }
        # The workers of the other posts, authors of their files.
        self.scope_workers = {"own": self.users["worker"]}
        for scope in SCOPES[1:]:
            self.scope_workers[scope] = UserFactory(
                worker=True, post=self.post[scope], department=self.department[scope]
            )
        self._files: dict[str, dict] = {}
        self._objects: dict[tuple[str, str], object] = {}

    # --- canaries ---------------------------------------------------------------
    def canary(self, scope: str, what: str) -> str:
        """A unique alphanumeric string: survives HTML escaping, upper-casing is checked.

        Short enough (≤ 30 characters) for every column it is seeded in, phone numbers
        included: PostgreSQL, unlike SQLite, refuses a longer value.
        """
        return f"zcy{what}{SCOPE_CODES[scope]}{self.tag}"

    def canaries(self, scopes=SCOPES) -> dict[str, str]:
        found = {}
        for scope in scopes:
            if scope in self._files:
                found.update({value: key for key, value in self._files[scope]["canaries"].items()})
        return found

    def file(self, scope: str) -> dict:
        """A whole social file on the scope's post, every secret field a canary."""
        if scope not in self._files:
            self._files[scope] = self._seed_file(scope)
        return self._files[scope]

    def _seed_file(self, scope):
        from tests.cases.factories import (
            ActionFactory,
            AnonymousContactFactory,
            BeneficiaryFactory,
            CaseFactory,
            OrientationFactory,
            ReferralFactory,
            UnitFeedbackFactory,
        )
        from tests.partners.factories import PartnerFactory

        worker, post = self.scope_workers[scope], self.post[scope]
        c = {
            "beneficiary_last_name": self.canary(scope, "nom"),
            "beneficiary_first_name": self.canary(scope, "prenom"),
            "beneficiary_phone": self.canary(scope, "tel"),
            "action_note": self.canary(scope, "note"),
            "action_note_2": self.canary(scope, "acte"),
            "orientation_reason": self.canary(scope, "motif"),
            "orientation_answer": self.canary(scope, "reponse"),
            # What the unit entered: readable by the unit's own users, and nobody else.
            "referral_person": self.canary(scope, "saisine"),
            # What the worker typed on a referral they recorded: the units never read it.
            "worker_referral_person": self.canary(scope, "saisienom"),
            "worker_referral_phone": self.canary(scope, "saisietel"),
            "worker_referral_context": self.canary(scope, "saisiecontexte"),
            # The partner a person was oriented to: the orientation is case data.
            "partner_name": self.canary(scope, "partenaire"),
            # A file archived by the retention rules: the DPO (admin) only.
            "archived_name": self.canary(scope, "archive"),
            "action_note_archived": self.canary(scope, "notearchive"),
        }
        beneficiary = BeneficiaryFactory(
            post=post,
            created_by=worker,
            last_name=c["beneficiary_last_name"],
            first_name=c["beneficiary_first_name"],
            phone=c["beneficiary_phone"],
            email=f"{c['beneficiary_phone']}@example.org",
        )
        case = CaseFactory(beneficiary=beneficiary, post=post, created_by=worker)
        action = ActionFactory(case=case, author=worker, confidential_note=c["action_note"])
        ActionFactory(
            case=case,
            author=worker,
            confidential_note=c["action_note_2"],
            occurred_at=timezone.now() - datetime.timedelta(days=3),
        )
        # Edit the note once: the history then holds an old and a new value.
        action.confidential_note = f"{c['action_note']} (complétée)"
        action.save()
        orientation = OrientationFactory(
            case=case,
            author=worker,
            partner=PartnerFactory(department=self.department[scope], name=c["partner_name"]),
            reason=c["orientation_reason"],
            partner_answer=c["orientation_answer"],
        )
        referral = ReferralFactory(
            post=post,
            source_unit=self.unit[scope],
            beneficiary=beneficiary,
            case=case,
            taken_by=worker,
            taken_at=timezone.now(),
            status="taken",
            person_last_name=c["referral_person"],
        )
        # A referral the worker recorded (the person came by themselves): no unit at all.
        worker_referral = ReferralFactory(
            post=post,
            source_unit=None,
            submitted_by=worker,
            origin="self",
            status="received",
            person_last_name=c["worker_referral_person"],
            person_phone=c["worker_referral_phone"],
            context=c["worker_referral_context"],
        )
        archived = BeneficiaryFactory(
            post=post,
            created_by=worker,
            last_name=c["archived_name"],
            archived_at=timezone.now() - datetime.timedelta(days=1),
        )
        ActionFactory(
            case=CaseFactory(beneficiary=archived, post=post, created_by=worker),
            author=worker,
            confidential_note=c["action_note_archived"],
        )
        feedback = UnitFeedbackFactory(referral=referral, author=worker, message="")
        contact = AnonymousContactFactory(post=post, author=worker, source_unit=self.unit[scope])
        return {
            "beneficiary": beneficiary,
            "case": case,
            "action": action,
            "orientation": orientation,
            "referral": referral,
            "worker_referral": worker_referral,
            "archived": archived,
            "feedback": feedback,
            "anonymous_contact": contact,
            "canaries": c,
        }

    # --- objects per scope (builders) ---------------------------------------------
    def obj(self, kind: str, scope: str):
        from tests.permissions.builders import BUILDERS

        key = (kind, scope)
        if key not in self._objects:
            self._objects[key] = BUILDERS[kind](self, scope)
        return self._objects[key]

    def user(self, role: str):
        return self.users[role]
