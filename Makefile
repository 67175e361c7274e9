# Every target bootstraps the same .venv from pyproject.toml; nothing else needs to be installed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Synapse for the Matrix stories lives in its own venv: its pins never meet the bot's.
SYNAPSE_VENV := .venv-synapse
SYNAPSE_STAMP := $(SYNAPSE_VENV)/.installed
SYNAPSE_REQUIREMENTS := tests/e2e/matrix/requirements-synapse.txt

# Discord's API description (OpenAPI, v10) as published on npm; the Discord double validates
# every request the bot sends against it. Pinned: update both numbers here and SPEC_VERSION in
# tests/e2e/discord_double/openapi.py together (tests/e2e/README.md, "Validation").
DISCORD_SPEC_VERSION := 10.0.266135
ZOD_VERSION := 4.1.12
DISCORD_SPEC_DIR := .cache/discord-api-spec/$(DISCORD_SPEC_VERSION)
DISCORD_SPEC := $(DISCORD_SPEC_DIR)/requests.json
DISCORD_SPEC_BUILDER := tests/e2e/discord_double/spec/build_schema.mjs

# Raise it when coverage rises; never lower it.
COVERAGE_FLOOR := 93

.PHONY: run test test-unit lint typecheck bench format clean spec browser

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(SYNAPSE_STAMP): $(SYNAPSE_REQUIREMENTS)
	$(PYTHON) -m venv $(SYNAPSE_VENV)
	$(SYNAPSE_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(SYNAPSE_VENV)/bin/python -m pip install --quiet -r $(SYNAPSE_REQUIREMENTS)
	touch $(SYNAPSE_STAMP)

$(DISCORD_SPEC): $(DISCORD_SPEC_BUILDER)
	mkdir -p $(DISCORD_SPEC_DIR)
	npm install --prefix $(DISCORD_SPEC_DIR) --no-save --no-package-lock --no-audit --no-fund \
		discord-api-spec@$(DISCORD_SPEC_VERSION) zod@$(ZOD_VERSION)
	cp $(DISCORD_SPEC_BUILDER) $(DISCORD_SPEC_DIR)/
	node $(DISCORD_SPEC_DIR)/build_schema.mjs $@

spec: $(DISCORD_SPEC)

run: $(STAMP)
	$(BIN)/python -m bot

# The public page's browser tests drive Debian's chromium (never a downloaded browser),
# installed where missing (CI runs as root), and run axe-core (npm) in it for accessibility.
AXE := .cache/axe/node_modules/axe-core/axe.min.js

browser: $(AXE)
	command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)

$(AXE):
	npm install --no-save --no-audit --no-fund --prefix .cache/axe axe-core@4

# CI runs this: lint, types, then every test with coverage (the floor only rises).
test: $(STAMP) $(SYNAPSE_STAMP) $(DISCORD_SPEC) browser lint typecheck
	$(BIN)/python -m pytest -q --cov --cov-report=term:skip-covered --cov-fail-under=$(COVERAGE_FLOOR)

# The fast loop: the core's unit tests and the registry-wide safety nets.
test-unit: $(STAMP)
	$(BIN)/python -m pytest -q tests/unit tests/test_permissions.py tests/test_console_fuzz.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP) $(DISCORD_SPEC)
	$(BIN)/python -m bench all

clean:
	rm -rf $(VENV) $(SYNAPSE_VENV) .pytest_cache .ruff_cache .cache
