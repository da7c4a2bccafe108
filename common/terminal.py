"""Text for the terminal: hostile input quoted in a message must not drive the terminal."""

from __future__ import annotations


def printable(text: str) -> str:
    r"""Escape control and other unprintable characters; line breaks stay.

    Escape sequences, bidirectional overrides, NUL and the like, which a message or a summary
    may quote from an input file, are shown as ``\xNN``, ``\uNNNN`` or ``\UNNNNNNNN``.

    Parameters
    ----------
    text
        Any text.

    Returns
    -------
    str
        The text with every unprintable character but ``\n`` escaped.
    """
    return "".join(ch if ch == "\n" or ch.isprintable() else _escape(ch) for ch in text)


def _escape(ch: str) -> str:
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
