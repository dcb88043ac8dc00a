"""Object storage and the search index (no imports of ocr, extraction, ingest or api).

Two rooms, imported by name: `storage.objects` keeps bytes write-once and verified (a
local folder or S3) and owns each stored artefact's key and format (`artefacts.py`);
`storage.index` records documents, pages, fields and batches and searches them.
`storage.verified.index_verified` joins the two so nothing unverified is indexed, and
`storage.errors` holds the errors both raise.
"""
