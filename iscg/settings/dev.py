"""Local development: the embedded default, debug on."""

from iscg.settings.base import *  # noqa: F403
from iscg.settings.base import env

DEBUG = env.bool("DEBUG", default=True)
OTP_REQUIRED_ROLES = env.list("OTP_REQUIRED_ROLES", default=[])
# The development server is one process: its own cache is shared by every request.
ORGANISATION_BLOCKS_CACHED = env.bool("ORGANISATION_BLOCKS_CACHED", default=True)
