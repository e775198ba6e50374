"""Rendering: checked pages to the public site's files, one function per page type, and what
templates see (views, key facts, JSON-LD, glossary, pre-screener, contacts, near me)."""
