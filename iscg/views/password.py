"""Password reset forms rendered with the DSFR."""

from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm

from iscg.forms import DsfrForm


class PasswordResetRequestForm(DsfrForm, PasswordResetForm):
    pass


class PasswordResetConfirmForm(DsfrForm, SetPasswordForm):
    pass
