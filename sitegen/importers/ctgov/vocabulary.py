"""What the importer accepts and what it may write: the registry's codes, the formats of its
values, and the content model's limits.

The registry's codes (ClinicalTrials.gov API v2 enums) that the content model also holds are
the model's own vocabulary in upper case (``RECRUITING`` -> ``recruiting``), so they have one
home, ``sitegen.content.model``; the codes below that the model has no field for (allocation,
arm types, count types, site statuses) are the registry's. Every length a registry value may
have is read from the model's field (``limit``), never copied.
"""

from __future__ import annotations

import dataclasses
import re
from functools import cache

from sitegen.content import model

STATUSES = tuple(code.upper() for code in model.STATUSES)
PHASES = tuple(code.upper() for code in model.PHASES)
STUDY_TYPES = tuple(code.upper() for code in model.STUDY_TYPES)
ALLOCATIONS = ("RANDOMIZED", "NON_RANDOMIZED", "NA")
MASKINGS = tuple(code.upper() for code in model.MASKING)
WHO_MASKED = tuple(code.upper() for code in model.WHO_MASKED)
INTERVENTION_TYPES = tuple(code.upper() for code in model.INTERVENTION_TYPES)
ARM_TYPES = (
    "EXPERIMENTAL",
    "ACTIVE_COMPARATOR",
    "PLACEBO_COMPARATOR",
    "SHAM_COMPARATOR",
    "NO_INTERVENTION",
    "OTHER",
)
SEXES = tuple(code.upper() for code in model.SEXES)
COUNT_TYPES = ("ACTUAL", "ESTIMATED")
SITE_STATUSES = (
    "RECRUITING",
    "NOT_YET_RECRUITING",
    "ACTIVE_NOT_RECRUITING",
    "COMPLETED",
    "SUSPENDED",
    "TERMINATED",
    "WITHDRAWN",
    "ENROLLING_BY_INVITATION",
    "AVAILABLE",
)
CONTACT_ROLES = tuple(code.upper() for code in model.CONTACT_ROLES)
AGENCY_CLASSES = tuple(code.upper() for code in model.SPONSOR_CLASSES)

NCT_RE = model.NCT_RE
DATE_RE = model.DATE_RE
EMAIL_RE = model.EMAIL_RE
AGE_RE = re.compile(r"^(\d{1,3})\s+([A-Za-z]+)$")
AGE_UNITS = model.AGE_UNITS
ISRCTN_RE = re.compile(r"^ISRCTN\d{8}$")

#: the study page on the registry, followed by its NCT id
REGISTRY_URL = "https://clinicaltrials.gov/study/"


@cache
def limit(cls: type, name: str) -> int:
    """The most characters the content model lets field ``name`` of ``cls`` hold (its
    ``max_len``), e.g. ``limit(model.Site, "name")``; a value longer than this does not build."""
    for f in dataclasses.fields(cls):
        if f.name == name:
            max_len = f.metadata.get("max_len") or 0
            if max_len:
                return int(max_len)
            raise ValueError(f"{cls.__name__}.{name} has no length limit in the content model")
    raise ValueError(f"{cls.__name__} has no field {name!r}")
