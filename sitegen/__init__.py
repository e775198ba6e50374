"""sitegen: a static site generator for patient-friendly clinical study pages."""

__version__ = "0.1.0"
