# One task runner for the README, developers and CI.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: install demo serve test lint typecheck check-migrations check-deploy check-translations screenshots clean

# The application alone (what the demo needs) ...
$(STAMP): pyproject.toml
	$(PYTHON) scripts/bootstrap_venv.py $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(STAMP)

# ... and with the test and lint tools.
$(TEST_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(TEST_STAMP)

install: $(TEST_STAMP)

## The demo: Mangupura Award 2024 (and the other seed competitions) on embedded SQLite.
demo: $(STAMP)
	$(BIN)/sayembara demo --port $(PORT)

serve: $(STAMP)
	$(BIN)/sayembara serve --port $(PORT)

## The whole test suite (SQLite unless DATABASE_URL says otherwise).
test: $(TEST_STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadfile $(PYTEST_ARGS)

lint: $(TEST_STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src/sayembara/scoring

typecheck: $(TEST_STAMP)
	$(BIN)/mypy src/sayembara/scoring

check-migrations: $(TEST_STAMP)
	SAYEMBARA_DATA_DIR=$$(mktemp -d) $(BIN)/sayembara makemigrations --check --dry-run

check-deploy: $(TEST_STAMP)
	SAYEMBARA_DATA_DIR=$$(mktemp -d) SAYEMBARA_PRODUCTION=1 SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') \
	  ALLOWED_HOSTS=sayembara.example.go.id SAYEMBARA_PUBLIC_URL=https://sayembara.example.go.id \
	  DATABASE_URL=postgres://sayembara@db.example.go.id:5432/sayembara REDIS_URL=redis://cache.example.go.id:6379/0 \
	  EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend SAYEMBARA_TRUSTED_PROXIES=1 \
	  $(BIN)/sayembara check --deploy --fail-level WARNING

## Every source string is in the Indonesian catalogue, translated (needs gettext's tools).
check-translations: $(TEST_STAMP)
	cd src/sayembara && SAYEMBARA_DATA_DIR=$$(mktemp -d) DJANGO_SETTINGS_MODULE=sayembara.settings \
	  ../../$(BIN)/python -m django makemessages -l id --ignore 'scoring/*' --add-location=file --no-obsolete
	$(BIN)/python -m pytest -q -p no:cacheprovider tests/test_translations.py tests/test_glossary.py

## The demo's main pages at desktop and phone size, into docs/screenshots/ (needs Chromium).
screenshots: $(TEST_STAMP)
	$(BIN)/python scripts/screenshots.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
