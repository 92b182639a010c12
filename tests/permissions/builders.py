"""Fixture builders: ``kind -> (world, scope) -> object``, used by matrix entries.

Add one for a new kind of object in a few lines::

    @builder("conventions.convention")
    def _convention(world, scope):
        return ConventionFactory(employer=world.employer[scope], funders=[world.funder[scope]])

Case data comes from ``world.file(scope)``: one social file per scope whose secret
fields are canaries, so that every matrix URL is also walked by the canary test.
"""

from collections.abc import Callable

BUILDERS: dict[str, Callable] = {}


def builder(kind: str):
    def decorator(func):
        BUILDERS[kind] = func
        return func

    return decorator


# --- organisation -------------------------------------------------------------------


@builder("iscg.employer")
def _employer(world, scope):
    return world.employer[scope]


@builder("iscg.unit")
def _unit(world, scope):
    return world.unit[scope]


@builder("iscg.funder")
def _funder(world, scope):
    return world.funder[scope]


@builder("iscg.post")
def _post(world, scope):
    return world.post[scope]


@builder("iscg.site")
def _site(world, scope):
    from tests.iscg.factories import SiteFactory

    site = SiteFactory(department=world.department[scope], unit=world.unit[scope])
    world.post[scope].sites.add(site)
    return site


@builder("iscg.accesslog")
def _access_log(world, scope):
    from iscg.audit import access_log_record

    return access_log_record(
        user=world.scope_workers[scope], action="view", obj=world.file(scope)["case"]
    )


@builder("partners.partner")
def _partner(world, scope):
    from tests.partners.factories import PartnerFactory

    return PartnerFactory(department=world.department[scope])


# --- case data (one canary file per scope) ------------------------------------------


def _from_file(key):
    def build(world, scope):
        return world.file(scope)[key]

    return build


for _kind, _key in {
    "cases.beneficiary": "beneficiary",
    "cases.case": "case",
    "cases.action": "action",
    "cases.orientation": "orientation",
    "cases.referral": "referral",
    "cases.unitfeedback": "feedback",
    "cases.anonymouscontact": "anonymous_contact",
}.items():
    BUILDERS[_kind] = _from_file(_key)
