# Svar — `make help` lists the targets.
SHELL := /bin/bash
VENV := .venv/bin

.PHONY: help setup kb model run run-cluster bench-load test lint layers typecheck pytest fuzz bench bench-encoders bench-build bench-analytics eval clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

setup:  ## create both Python environments (idempotent)
	@scripts/setup.sh

kb: setup  ## validate the KB and build the index if it changed
	@$(VENV)/bot kb build

model: setup  ## train the Rasa model if its data changed
	@scripts/train.sh

run:  ## set up, build, train, then run Rasa (5005) and the bot service (5055)
	@scripts/run.sh

run-cluster:  ## the production shape: REPLICAS=2 Rasa and bot replicas behind HAProxy (5005/5055)
	@REPLICAS=$${REPLICAS:-2} scripts/run-cluster.sh

test: setup lint layers typecheck pytest  ## set up, lint, check the layers, type-check and run the whole test suite

lint: setup  ## ruff lint and format check
	@$(VENV)/ruff check .
	@$(VENV)/ruff format --check .

layers: setup  ## the import-linter contracts in pyproject.toml (web -> turn -> features -> kb -> storage)
	@$(VENV)/lint-imports

typecheck: setup  ## mypy on bot/ and actions/
	@$(VENV)/mypy

pytest: setup  ## the test suite (starts real Rasa and bot service servers)
	@$(VENV)/pytest

fuzz: setup  ## long fuzzing: the doors (1,600+ hostile inputs) and the OpenAPI document (2,800+ schemathesis cases)
	@SVAR_FUZZ_EXAMPLES=$${SVAR_FUZZ_EXAMPLES:-400} SVAR_SCHEMA_EXAMPLES=$${SVAR_SCHEMA_EXAMPLES:-60} \
		$(VENV)/pytest -q -s tests/security/test_fuzz.py tests/security/test_schema_fuzz.py

bench: setup kb model  ## latency/throughput benchmark of the running stack (not part of the tests)
	@$(VENV)/python -m bench.turns

bench-encoders: setup  ## embedding backends side by side by message length (reports/encoders.png)
	@$(VENV)/python -m bench.encoders

bench-build: setup  ## `bot kb build` on 10,000 public-data entries, per stage (ARGS="--entries N --adapter always")
	@$(VENV)/python -m bench.build $${ARGS:---entries 10000}

bench-load: setup model  ## locust ramp on 1+1 and 2+2 replicas behind HAProxy (reports/load.md, load.png)
	@$(VENV)/python -m bench.load

bench-analytics: setup  ## analytics API and page on a generated year of a busy shop (PostgreSQL)
	@$(VENV)/python -m bench.analytics --before

eval: setup  ## answer quality on the held-out eval set
	@$(VENV)/bot eval

clean:  ## remove environments, models, index and local databases
	rm -rf .venv .venv-rasa models var kb_index/*/ kb_index/manifest.json
