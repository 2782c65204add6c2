# LEAP's entry points. `make demo` and `make test` each set everything up from a fresh clone.
SHELL := /bin/bash
UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export GX_ANALYTICS_ENABLED := false
export DAGSTER_HOME ?= $(CURDIR)/.leap/dagster
# Compiled bytecode written once at setup: where PYTHONDONTWRITEBYTECODE is set (CI containers often set
# it), Python would otherwise compile Dagster, dbt and GX from source in every process, about 3 s each
# (a run, a sensor tick, each test worker). uv compiles the installed packages; compileall, LEAP's own.
export UV_COMPILE_BYTECODE := 1

.PHONY: setup browser demo docs test test-fast lint dev clean

setup:  ## create .venv and install LEAP with the locked dependencies
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	$(UV) sync --frozen
	$(UV) run python -m compileall -q -j 0 leap_assets orchestration expectations benchmarks tests >/dev/null
	$(UV) run leap prepare

demo: setup  ## generate the demo university, run every week of its term, publish, summarise
	$(UV) run leap demo

# dbt's static one-file docs site (models, columns, lineage, exposures), readable offline. The catalog
# (column types) comes from the warehouse: the demo's, or LEAP_WAREHOUSE's; without one, an empty
# temporary warehouse stands in and the site still describes every model and column.
docs: setup  ## dbt's docs as one offline page: $LEAP_PUBLISH/docs/index.html (default publish/docs/)
	@warehouse="$${LEAP_WAREHOUSE:-$(CURDIR)/.leap/warehouse.duckdb}"; \
	if [ ! -f "$$warehouse" ]; then \
		echo "No warehouse at $$warehouse yet (make demo builds one): the docs will have no column types."; \
		warehouse="$$(mktemp -d)/docs.duckdb"; \
	fi; \
	LEAP_WAREHOUSE="$$(realpath "$$warehouse")" $(UV) run dbt docs generate --static --quiet \
		--project-dir dbt_project --profiles-dir dbt_project \
		--target-path "$(CURDIR)/.leap/dbt-docs" --log-path "$(CURDIR)/.leap/dbt-docs/logs"
	@mkdir -p "$${LEAP_PUBLISH:-publish}/docs"
	@cp .leap/dbt-docs/static_index.html "$${LEAP_PUBLISH:-publish}/docs/index.html"
	@echo "dbt docs: $${LEAP_PUBLISH:-publish}/docs/index.html"

lint: setup
	$(UV) run ruff check .
	$(UV) run ruff format --check .
	LEAP_WAREHOUSE=$$(mktemp -d)/lint.duckdb $(UV) run sqlfluff lint dbt_project/models

browser:  ## Debian's headless Chromium, which checks that the governance report renders offline
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)

test: lint browser  ## lint, then the whole test suite (slowest first, a module at a time to a worker)
	$(UV) run pytest -q -n 2 --dist loadscope --no-loadscope-reorder

test-fast: setup  ## the unit and dbt tiers only: Python and dbt on small data, for day-to-day work
	$(UV) run pytest -q -n 2 -m "unit or dbt"

dev: setup  ## the Dagster UI and daemon on the same instance and warehouse (http://127.0.0.1:3000)
	$(UV) run dagster dev -w workspace.yaml -h 127.0.0.1 -p 3000

clean:
	rm -rf .leap landing publish dbt_project/target dbt_project/logs
