"""Corpus ingest: load, chunk, embed and index documents with exact offsets."""
