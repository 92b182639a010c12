"""Writes on the organisation model, each checking its actor (``actors``)."""

from iscg.services.accounts import (
    membership_create,
    membership_end,
    user_create,
    user_deactivate,
    user_invite,
    user_otp_reset,
    user_reactivate,
    user_reinvite,
    user_update,
)
from iscg.services.posts import post_holding_end, post_holding_start, post_save

__all__ = [
    "membership_create",
    "membership_end",
    "post_holding_end",
    "post_holding_start",
    "post_save",
    "user_create",
    "user_deactivate",
    "user_invite",
    "user_otp_reset",
    "user_reactivate",
    "user_reinvite",
    "user_update",
]
