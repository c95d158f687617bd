# The two commands: `make run` and `make test`. Everything else is a step they call.
SHELL := /bin/bash
UV := $(shell command -v uv 2>/dev/null || echo "$(HOME)/.local/bin/uv")
PORT ?= 3000
export UV_LINK_MODE := copy

.PHONY: run test install install-dev assets browser lint serve worker beat ai-router bench

$(UV):
	python3 -m pip install --quiet --user uv || python3 -m pip install --quiet uv

install: $(UV)
	$(UV) sync --frozen --no-dev

install-dev: $(UV)
	$(UV) sync --frozen

assets:
	bash scripts/build_assets.sh

browser:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
	  ( [ "$$(id -u)" = 0 ] && (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) ) || \
	  echo "Chromium is not installed: the browser tests will be skipped."

## make run: install, build the assets, migrate SQLite, seed the demo data, serve on :3000.
run: install assets
	$(UV) run python manage.py migrate --no-input -v0
	$(UV) run python manage.py collectstatic --no-input -v0
	$(UV) run python manage.py seed_demo --if-empty --size small --seed 1
	NEXTAUTH_URL=$${NEXTAUTH_URL:-http://127.0.0.1:$(PORT)} $(UV) run python manage.py demo_login
	NEXTAUTH_URL=$${NEXTAUTH_URL:-http://127.0.0.1:$(PORT)} \
	  $(UV) run uvicorn huntaze.config.asgi:application --app-dir src --host 127.0.0.1 --port $(PORT)

## make test: the whole suite; on PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set.
TEST_WORKERS ?= 2
test: install-dev assets browser
	$(UV) run pytest --create-db -q -n $(TEST_WORKERS) $(PYTEST_ARGS)

lint: install-dev
	$(UV) run ruff check .
	$(UV) run ruff format --check .
	$(UV) run mypy src ai_router
	$(UV) run lint-imports
	$(UV) run python manage.py makemigrations --check --dry-run

worker:
	$(UV) run celery -A huntaze.config worker -Q default,ai,video,publish -l info

beat:
	$(UV) run celery -A huntaze.config beat -l info

ai-router:
	$(UV) run python -m ai_router

bench: install-dev
	$(UV) run python bench/run_web.py
	$(UV) run python bench/router_overhead.py
