"""Ingest chain: files in, documents out (imports ocr, extraction, storage)."""
