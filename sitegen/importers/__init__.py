"""Importers: turn registry records into draft content files.

``ctgov`` reads ClinicalTrials.gov API v2 study records (JSON) and writes draft study pages
(``content/studies/<slug>.md``) that follow ``docs/content-model.md``.
"""
