# Two entry points: `make chat` and `make test`. Each one sets up everything it needs.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: chat test lint index install lock bench eval clean

$(PY):
	$(PYTHON) -m venv $(VENV)

# Every dependency comes from requirements.lock, which pins each package (the whole tree, --no-deps) with the
# sha256 of every wheel and sdist of that version: pip refuses any file whose hash is not listed, so a swapped or
# tampered download fails the install. pip itself first, from its own lock entry: the venv's bundled pip (23.2.1)
# predates the fix for CVE-2023-5752. torch is the CPU wheel on this machine's disk (pip's find-links), and the lock
# holds that wheel's hash, so a CUDA build from the index cannot be taken. The project goes last, editable
# (an editable install cannot be hashed) and without build isolation, so it is built with the hashed setuptools
# instead of one pip would fetch unchecked. `make install VENV=/tmp/x` installs into another venv.
PIP_INSTALL := $(PY) -m pip install --quiet --disable-pip-version-check
$(STAMP): pyproject.toml requirements.lock | $(PY)
	$(PIP_INSTALL) --require-hashes --no-deps -r <(awk '/^pip==/{p=1} p{print} p && !/\\$$/{exit}' requirements.lock)
	$(PIP_INSTALL) --require-hashes --no-deps -r requirements.lock
	$(PIP_INSTALL) --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP)

# Regenerate requirements.lock after changing pyproject.toml or constraints.txt (7 to 12 minutes here).
# pip-tools runs in a throwaway venv, never in the project's; it reads pip's config, so torch resolves to the
# CPU wheel on disk.
LOCK_TOOLS ?= /tmp/groundwork-lock-tools
lock:
	$(PYTHON) -m venv $(LOCK_TOOLS)
	$(LOCK_TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check pip-tools==7.6.2
	CUSTOM_COMPILE_COMMAND="make lock" $(LOCK_TOOLS)/bin/pip-compile --quiet --generate-hashes --allow-unsafe \
		--strip-extras --no-emit-index-url --no-emit-find-links --extra test --extra milvus -c constraints.txt \
		-o requirements.lock pyproject.toml

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
