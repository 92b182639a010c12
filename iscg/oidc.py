"""ProConnect (OpenID Connect) login for State agents: existing accounts only.

Active only when ``OIDC_RP_CLIENT_ID`` is set (see settings). A ProConnect identity is
matched by e-mail to an existing, active account; nobody is created.
"""

from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend


class ProConnectBackend(OIDCAuthenticationBackend):
    def verify_claims(self, claims):
        return bool(claims.get("email"))

    def filter_users_by_claims(self, claims):
        email = (claims.get("email") or "").strip()
        if not email:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=email, is_active=True)

    def create_user(self, claims):
        raise SuspiciousOperation("ProConnect: no self-signup, the account must exist.")
