# The few targets people use. `make run` and `make test` work on a fresh Debian 12 machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# The settings run in production mode unless DJANGO_DEBUG says otherwise: these targets are the
# local runs (demo accounts, a local secret key). Production never runs make.
export DJANGO_DEBUG ?= true
# Compiled modules are kept (in __pycache__, ignored by git): every test worker would otherwise
# compile and rewrite the portal's and the tests' modules again, seconds each.
unexport PYTHONDONTWRITEBYTECODE
# The suite runs in parallel, a worker per core; each module's tests stay on one worker, so a
# module's shared demo and rendered documents are made once.
PYTEST_WORKERS ?= auto
# gettext compiles the translations; fonts-noto-cjk gives Chinese glyphs to the browser and the
# PDFs; python3-venv is needed where Debian's python3 lacks ensurepip.
# libharfbuzz-subset0 lets WeasyPrint subset the CJK fonts in C (seconds faster per PDF).
DEBIAN_PACKAGES := gettext fonts-noto-cjk libharfbuzz-subset0
# The browser tests drive Debian's Chromium (a browser cannot be downloaded by Playwright here).
DEBIAN_TEST_PACKAGES := chromium
# The benchmark compares our PDF with LibreOffice converting our DOCX.
DEBIAN_BENCH_PACKAGES := libreoffice-writer-nogui

.PHONY: run test lint format bench setup setup-dev system-packages test-system-packages fonts messages migrate demo clean

run: setup migrate demo
	$(PY) manage.py runserver $(HOST):$(PORT)

test: setup-dev
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadscope $(PYTEST_ARGS)

lint: setup-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: setup-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: setup-dev
	@scripts/debian-packages.sh $(DEBIAN_BENCH_PACKAGES)
	@for script in bench/*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

system-packages:
	@packages="$(DEBIAN_PACKAGES)"; \
	$(PYTHON) -c "import ensurepip" 2>/dev/null || packages="$$packages python3-venv"; \
	scripts/debian-packages.sh $$packages

$(VENV)/.installed: requirements.txt | system-packages
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

test-system-packages:
	@scripts/debian-packages.sh $(DEBIAN_TEST_PACKAGES)

fonts:
	@scripts/fetch-fonts.sh var/fonts/fandol

setup: system-packages $(VENV)/.installed messages fonts

setup-dev: setup test-system-packages $(VENV)/.installed-dev

messages: $(VENV)/.installed
	$(PY) manage.py compilemessages --verbosity 0 --ignore "$(VENV)" --ignore "var"

migrate: setup
	@mkdir -p var
	$(PY) manage.py migrate --no-input

demo: migrate
	$(PY) manage.py loaddemo

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .hypothesis test-artifacts
	find . -name "*.mo" -path "*/locale/*" -delete
