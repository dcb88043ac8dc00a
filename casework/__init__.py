"""The read side: what caseworkers and analysts do with stored files (search, show,
review, correct, report). The CLI and the HTTP routes call these same functions."""

from casework.context import open_context, unavailable_as_setup_error
from casework.documents import (
    batches,
    document,
    outcome_of,
    page_image,
    searchable_pdf,
    show,
    tesseract_version,
)
from casework.reports import Report, counts, data_quality, permission_to_work, suppress
from casework.review import correct, entities, mark_unreadable, pairs, review
from casework.search import OptionError, SearchOption, search, search_filters, search_options

__all__ = ["OptionError", "Report", "SearchOption", "batches", "correct", "counts", "data_quality",
           "document", "entities", "mark_unreadable", "pairs", "open_context", "outcome_of",
           "page_image",
           "permission_to_work", "review", "search", "search_filters", "search_options",
           "searchable_pdf", "show", "suppress", "tesseract_version",
           "unavailable_as_setup_error"]
