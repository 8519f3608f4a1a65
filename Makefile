# Two entry points: `make chat` and `make test`. Each one sets up everything it needs.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: chat test lint index install bench eval clean

$(PY):
	$(PYTHON) -m venv $(VENV)

# Every install goes through constraints.txt. pip itself first: the venv's bundled pip (23.2.1) predates the
# fix for CVE-2023-5752. Then torch, pinned to the local CPU wheel: an unpinned torch pulls GBs of CUDA packages.
$(STAMP): pyproject.toml constraints.txt | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt pip
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt torch
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test,milvus]'
	touch $(STAMP)

install: $(STAMP)

# `python -m ingest` compares file hashes with the manifest and returns at once when nothing changed.
index: $(STAMP)
	$(PY) -m ingest

chat: index
	$(PY) -m assistant chat

# Lint and type-check first (configured in pyproject.toml): a finding fails the run before the slow tests start.
lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m mypy

test: lint index
	$(PY) -m pytest -q
	$(PY) -m eval run --split test --gate --out reports/gate

eval: index
	$(PY) -m eval run --baselines --out reports/latest

bench: index
	$(PY) -m eval bench --out bench-out

clean:
	rm -rf index index.d index.lock reports bench-out
