"""Shared foundation with no dependencies on the rest of the toolkit.

The user-input error type and the locator of shipped data files.
"""

from tsg.common.errors import InputError
from tsg.common.resources import data_path

__all__ = ["InputError", "data_path"]
