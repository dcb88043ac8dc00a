"""Case-field and entity extraction from OCR words (no imports of ocr, storage or api)."""
