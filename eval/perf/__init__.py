"""Performance: `python -m eval bench` (ingest, ask, cold start, chat server, size), `python -m eval.perf.scale`
(synthetic corpora up to 100k chunks) and `python -m eval load` (the chat server under concurrent clients),
all measured through perf/measure.py.
"""
