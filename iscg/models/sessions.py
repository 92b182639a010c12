"""Sessions that know the account they are signed in to."""

from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils import timezone


class AccountSessionQuerySet(models.QuerySet):
    def live_of(self, user):
        """The account's sessions still valid (Django's rule: expiring after now)."""
        return self.filter(user_id=user.pk, expire_date__gt=timezone.now())

    def end_of(self, user, keep: str | None = None) -> int:
        """Ends the account's live sessions but ``keep``, in one statement: the rows are
        the sessions (the engine keeps no other copy). How many were live."""
        ended, _ = self.live_of(user).exclude(session_key=keep).delete()
        return ended


class AccountSession(AbstractBaseSession):
    """A session of the database engine (iscg.session_store), with the account it is
    signed in to written beside its data at each save: an account's sessions, counted and
    ended on « Mon compte » and ended when the account is deactivated, are read from
    their own index. Found by decoding the data, every live session of the country was
    read and decoded to find one account's."""

    # Not a foreign key: a session may outlive its account by a request, and a session
    # is never what keeps an account from being deleted.
    user_id = models.BigIntegerField("compte", null=True, blank=True, db_index=True)

    objects = AccountSessionQuerySet.as_manager()

    class Meta:
        verbose_name = "session"

    @classmethod
    def get_session_store_class(cls):
        # Import cycle: the store names this model, and this model its store.
        from iscg.session_store import SessionStore

        return SessionStore
