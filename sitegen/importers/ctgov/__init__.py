"""ClinicalTrials.gov API v2 importer: study records (JSON) -> draft study pages (Markdown)
and, for records with results, draft results pages.

One module per job, in the order a record goes through them:

* ``records``: read a record file strictly (JSON, UTF-8, unsafe characters removed)
* ``reader``: typed access to the record by JSON path (``Reader``), every problem a diagnostic
* ``vocabulary``: the registry's codes and formats, and the content model's limits (``limit``)
* ``text``, ``blocks``, ``markdown``: registry text cleaned, split into paragraphs and list
  items, escaped for the Markdown body
* ``protocol``: the ``protocolSection`` modules (identification, status, conditions, design,
  arms, sponsor) to front-matter values
* ``eligibility``: the eligibility parser (ages, sex, inclusion and exclusion criteria)
* ``locations``: sites and contacts
* ``study``: one record to an ``ImportedStudy`` (``parse_record``, ``parse_studies``)
* ``body``: the draft study page's Markdown body
* ``results_tables``, ``results_page``: a ``resultsSection`` to a draft results page
* ``draft``: a draft page's text, and the check that it validates the way a build does
* ``files``, ``command``: the pages on disk; ``import_paths``, the only function that writes

Every problem is a ``Diagnostic`` (codes ``IMP0xx``) naming the file and the JSON path of the
field, e.g. ``protocolSection.statusModule.overallStatus``; bad input never raises. A record
with an error writes nothing.

Registry text is untrusted: HTML tags are stripped (``nh3``), ClinicalTrials.gov's Markdown
backslash escapes (``\\<``, ``\\*``, ``\\[`` ...) are undone for the plain front-matter strings,
and text placed in the body is escaped so that it cannot become HTML or Markdown syntax.
Contact names, phones and e-mails are real published data and are copied exactly.

Codes:

* IMP001 error: the file is not valid JSON (or is truncated, or not UTF-8)
* IMP002 error: a required field is missing or empty
* IMP003 error: a field has the wrong type or format
* IMP004 error: a field has a value outside the registry's vocabulary
* IMP005 error: a long text field ends in "..." and looks truncated
* IMP006 warning: HTML markup was removed from registry text
* IMP007 warning: a value the content model cannot hold was left out
* IMP008 error: the page already exists and was not overwritten
* IMP009 error: the same study appears twice in one import
* IMP010 error: a file or folder could not be read or written
* IMP011 error: a result refers to a group id its module does not list (``results_tables``)
* IMP012 warning: control, direction-override or lone surrogate characters were removed
* IMP013 error: a page made from the record would not build (too large, invalid): neither
  the study page nor its results page is written
"""

from sitegen.importers.ctgov.command import import_paths
from sitegen.importers.ctgov.eligibility import split_criteria
from sitegen.importers.ctgov.markdown import md_escape
from sitegen.importers.ctgov.records import load_record, load_studies
from sitegen.importers.ctgov.study import ImportedStudy, parse_record, parse_studies

__all__ = [
    "ImportedStudy",
    "import_paths",
    "load_record",
    "load_studies",
    "md_escape",
    "parse_record",
    "parse_studies",
    "split_criteria",
]
