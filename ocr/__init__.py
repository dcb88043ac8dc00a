"""OCR: page cleanup, Tesseract and PDF text layers (no imports of extraction, storage or api)."""
