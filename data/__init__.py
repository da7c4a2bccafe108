"""Data shipped with the toolkit (installed as the package ``tsg.data``).

Districts, catalogues and their sources. Find files with :func:`tsg.resources.data_path`.
"""
