"""ProConnect (OpenID Connect) login for State agents: existing accounts only.

Active only when ``OIDC_RP_CLIENT_ID`` is set (see settings). Nobody is created. The
first ProConnect login of an existing, active account, found by its e-mail, pins the
identity's ``sub`` to it; from then on the account is found by that ``sub`` alone. An
identity whose e-mail is not verified is refused, and so is one whose e-mail matches an
account already pinned to another ``sub`` (someone else holding that address now).
"""

from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from mozilla_django_oidc.auth import OIDCAuthenticationBackend


class ProConnectBackend(OIDCAuthenticationBackend):
    def verify_claims(self, claims):
        return (
            bool((claims.get("sub") or "").strip())
            and bool((claims.get("email") or "").strip())
            and claims.get("email_verified") in (True, "true")
        )

    def filter_users_by_claims(self, claims):
        sub = (claims.get("sub") or "").strip()
        email = (claims.get("email") or "").strip()
        if not sub or not email:
            return self.UserModel.objects.none()
        active = self.UserModel.objects.filter(is_active=True)
        if self.UserModel.objects.filter(proconnect_sub=sub).exists():
            return active.filter(proconnect_sub=sub)
        # Not pinned yet: the account of that e-mail, unless another identity pinned it.
        return active.filter(email__iexact=email, proconnect_sub="")

    @transaction.atomic
    def update_user(self, user, claims):
        if not user.proconnect_sub:
            user.proconnect_sub = claims["sub"].strip()
            user.save(update_fields=["proconnect_sub"])
        return user

    def create_user(self, claims):
        raise SuspiciousOperation("ProConnect: no self-signup, the account must exist.")
