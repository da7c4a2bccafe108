"""The design loop's certifying full solve as a process of its own (the second core).

``python -m tsg.certify_process ARGS RESULT`` reads the pickled arguments of
:func:`tsg.design_candidates.certify` from ``ARGS``, solves, and writes the solver's design,
the judged candidate and whether it is certified, pickled, to ``RESULT`` (written under a
temporary name and renamed, so a stopped process leaves no partial file). Started and read by
:class:`tsg.design_candidates.BackgroundCertificate`; any failure exits non-zero and the
caller certifies in its own process.
"""

from __future__ import annotations

import os
import pickle
import sys
from pathlib import Path

from tsg.design_candidates import certify

__all__ = ["main"]


def main(argv: list[str]) -> int:
    """Certify from the pickled arguments in ``argv[0]``; write the outcome to ``argv[1]``.

    Parameters
    ----------
    argv
        The arguments file and the result file.

    Returns
    -------
    int
        0 when the result was written.
    """
    args_path, result_path = Path(argv[0]), Path(argv[1])
    inputs, steps, options, candidate, reference_lines = pickle.loads(args_path.read_bytes())
    cert = certify(inputs, steps, options, candidate, reference_lines)
    partial = result_path.with_suffix(".partial")
    partial.write_bytes(
        pickle.dumps((cert.design, cert.candidate, cert.certified), pickle.HIGHEST_PROTOCOL)
    )
    os.replace(partial, result_path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
