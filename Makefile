# Every target installs what it needs by itself: on a fresh clone `make run` and
# `make test` are the only commands to type.
#
#   .venv        dev venv, Python 3.12 (the Lambda runtime): requirements/dev.txt
#   .venv-tools  aws-sam-cli (+ cfn-lint), kept apart: it pins its own boto3
#
# A venv is (re)installed only when its stamp, named after a hash of the content of its
# requirements files, is missing: editing a requirements file reinstalls on the next make,
# nothing else does. Existing venvs are reused (recreated only if the Python version is
# wrong). Override the places or interpreters on the command line, e.g.
#   make test VENV=/tmp/v TOOLS_VENV=/tmp/t PYTHON312=/usr/bin/python3.12

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-builtin-rules --no-print-directory

VENV ?= .venv
TOOLS_VENV ?= .venv-tools
PYTHON312 ?=
TOOLS_PYTHON ?= python3
PYTEST_ARGS ?=

DEV_REQS := requirements/dev.txt layers/crm/requirements.txt
TOOLS_REQS := requirements/tools.txt
reqs_hash = $(shell cat $(1) | sha256sum | cut -c1-12)
DEV_STAMP := $(VENV)/.installed-$(call reqs_hash,$(DEV_REQS))
TOOLS_STAMP := $(TOOLS_VENV)/.installed-$(call reqs_hash,$(TOOLS_REQS))

BIN := $(abspath $(VENV))/bin
TOOLS_BIN := $(abspath $(TOOLS_VENV))/bin

# mypy: every functions/<name>/app.py is a module named `app` to Lambda. With
# explicit_package_bases (pyproject.toml) mypy names files by their path from the bases
# (mypy_path = layers/crm/python, then the repo root), so they are checked as
# functions.<name>.app, the name the tests import them by, and never clash: one mypy run
# covers them all. Folders with no .py file yet are left out (mypy refuses them).
has_py = $(if $(shell find $(1) -name '*.py' -print -quit 2>/dev/null),$(1))
MYPY_PATHS = $(foreach d,layers/crm/python/crm functions local tests bench,$(call has_py,$(d)))

export SAM_CLI_TELEMETRY := 0
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help venv tools system-deps run lint typecheck template build pytest test screenshots bench fmt \
	clean distclean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

venv: $(DEV_STAMP) ## dev venv (.venv, Python 3.12) with requirements/dev.txt
	@:

$(DEV_STAMP):
	@py='$(PYTHON312)'; [ -n "$$py" ] || py="$$(bash scripts/find-python.sh 3.12)"; \
	bash scripts/ensure-venv.sh $(VENV) "$$py" requirements/dev.txt
	@rm -f $(VENV)/.installed-* && touch $@

tools: $(TOOLS_STAMP) ## tools venv (.venv-tools) with aws-sam-cli and cfn-lint
	@:

$(TOOLS_STAMP):
	@bash scripts/ensure-venv.sh $(TOOLS_VENV) $(TOOLS_PYTHON) $(TOOLS_REQS)
	@rm -f $(TOOLS_VENV)/.installed-* && touch $@

system-deps: ## Debian packages the tests need (scripts/install-system-deps.sh)
	@bash scripts/install-system-deps.sh

# The first `make run` installs for a minute or two: it says so, in four steps.
run: ## serve the whole product and a demo firm on http://127.0.0.1:3000 (CRM_PORT)
	@if [ -f $(DEV_STAMP) ]; then \
	  echo "[1/4] Python 3.12 virtualenv: $(VENV), ready"; \
	  echo "[2/4] Python packages: installed"; \
	else \
	  VENV_STEPS=1 $(MAKE) venv; \
	fi
	@echo "[3/4] Dovecot for the demo mailbox (Debian's dovecot-imapd)"
	@bash scripts/install-system-deps.sh dovecot-imapd \
	  || echo "      not installed: the demo firm will have no synced emails"
	@echo "[4/4] starting the stack and seeding the demo firm (about 20 s) ..."
	@$(BIN)/python -m local

lint: venv ## ruff check + ruff format --check + the import contracts (import-linter)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	PYTHONPATH=layers/crm/python $(BIN)/lint-imports --no-cache

typecheck: venv ## mypy
	$(BIN)/mypy $(MYPY_PATHS)

template: tools ## cfn-lint template.yaml + sam validate --lint
	$(TOOLS_BIN)/cfn-lint template.yaml
	$(TOOLS_BIN)/sam validate --lint --template-file template.yaml

build: venv tools ## sam build into .aws-sam (python3.12 from .venv first on PATH)
	PATH="$(BIN):$$PATH" $(TOOLS_BIN)/sam build --cached --parallel --template-file template.yaml

# The unit tests (each on moto's in-process mock) run on two workers (pytest-xdist); the
# integration and browser packages run in one process, as each shares one local stack
# (which sets the process's AWS environment) and schemathesis names all its cases alike,
# which xdist's grouping schedulers would run once. PYTEST_ARGS runs just what it names.
pytest: venv system-deps ## the whole pytest suite: unit on 2 workers, then integration and browser (PYTEST_ARGS=...)
ifeq ($(strip $(PYTEST_ARGS)),)
	$(BIN)/pytest -n 2 tests/unit
	$(BIN)/pytest tests/integration tests/browser
else
	$(BIN)/pytest $(PYTEST_ARGS)
endif

test: lint typecheck template build pytest ## everything CI checks

screenshots: venv system-deps ## the browser tests, writing docs/screenshots (the README shows them)
	CRM_SCREENSHOTS="$(CURDIR)/docs/screenshots" $(BIN)/pytest tests/browser

bench: venv ## benchmarks (python -m bench); crm importable as on Lambda's /opt/python
	PYTHONPATH="layers/crm/python$${PYTHONPATH:+:$$PYTHONPATH}" $(BIN)/python -m bench

fmt: venv ## ruff format + ruff check --fix
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean: ## build outputs and caches (keeps the venvs)
	rm -rf .aws-sam .mypy_cache .ruff_cache .pytest_cache
	find . -path ./$(VENV) -prune -o -path ./$(TOOLS_VENV) -prune -o \
		-name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean ## clean, and remove the venvs too
	rm -rf $(VENV) $(TOOLS_VENV)
