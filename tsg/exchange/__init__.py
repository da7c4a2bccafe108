"""Exchange formats of the Dutch district-energy ecosystem: ESDL export and import.

:mod:`tsg.exchange.esdl_export` writes a run folder (district and sized design) as one ESDL
``EnergySystem``; :mod:`tsg.exchange.esdl_import` turns an ESDL energy system into a district
file. Both need the optional ``pyesdl`` package (``pip install thermal-smart-grid[esdl]``).
"""
