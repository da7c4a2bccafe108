"""Shared foundation with no dependencies on the rest of the toolkit: the user-input error."""

from common.errors import InputError

__all__ = ["InputError"]
