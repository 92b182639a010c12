"""The session engine (SESSION_ENGINE): Django's database engine writing the account a
session is signed in to in a column of its own (Django's documented way of extending
it), so that an account's sessions are found without decoding everyone's."""

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore


class SessionStore(DatabaseSessionStore):
    @classmethod
    def get_model_class(cls):
        # Import cycle: iscg.models.sessions names this store.
        from iscg.models import AccountSession

        return AccountSession

    def create_model_instance(self, data):
        return _signed_in(super().create_model_instance(data), data)

    async def acreate_model_instance(self, data):
        # Django's asynchronous path (alogin, acycle_key) builds the row on its own.
        return _signed_in(await super().acreate_model_instance(data), data)


def _signed_in(session, data):
    try:
        session.user_id = int(data.get(SESSION_KEY))
    except (TypeError, ValueError):
        session.user_id = None
    return session
