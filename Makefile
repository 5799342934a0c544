# Two commands do all set-up on a fresh machine: `make run` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
PORT ?= 8731
BUYERS ?= 6

.PHONY: run test lint fmt bench eval clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/yiwaiwai run --port $(PORT) --buyers-per-minute $(BUYERS)

test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check .

fmt: $(STAMP)
	$(VENV)/bin/ruff format .

bench: $(STAMP)
	$(VENV)/bin/yiwaiwai bench

eval: $(STAMP)
	$(VENV)/bin/yiwaiwai eval

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
