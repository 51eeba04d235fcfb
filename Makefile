# The two commands a new user needs: `make run` and `make test`. See README.md.
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check
WHEELHOUSE ?= wheelhouse
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint migrate wheelhouse screenshot clean

$(VENV)/.installed: requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(PIP) install -q -r requirements-dev.txt
	@touch $@

# Serve the demo county on http://127.0.0.1:8000 from an SQLite file under var/.
run: $(VENV)/.installed
	@mkdir -p var
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --noinput
	DEBUG=$${DEBUG:-1} $(PY) manage.py load_demo --if-empty
	@echo ""
	@echo "落实已启动:http://$(HOST):$(PORT)/"
	@echo "演示账号(密码均为 luoshi2026):office 督查室 · leader 常务副县长 · unit 财政局联络员 · unit2 住建局联络员 · admin 系统管理员"
	@echo ""
	@# The worker (sends messages) and the scheduler (reminders) run beside the web server and stop with it.
	DEBUG=$${DEBUG:-1} $(PY) manage.py db_worker --no-reload & worker=$$!; \
	DEBUG=$${DEBUG:-1} $(PY) manage.py notify_scheduler & scheduler=$$!; \
	trap 'kill $$worker $$scheduler 2>/dev/null; wait $$worker $$scheduler' EXIT INT TERM; \
	DEBUG=$${DEBUG:-1} $(PY) manage.py runserver $(HOST):$(PORT)

migrate: $(VENV)/.installed
	$(PY) manage.py migrate --noinput

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Lint, migrations, then the whole suite on SQLite and again on PostgreSQL (scripts/test).
test: $(VENV)/.installed-dev
	VENV=$(VENV) scripts/test

# Every wheel Luoshi needs, for an intranet with no package index (README: 离线安装).
wheelhouse: $(VENV)/.installed
	$(PIP) wheel -q -r requirements.txt -w $(WHEELHOUSE)

# Refresh docs/screenshot.png from the browser test.
screenshot: $(VENV)/.installed-dev
	LUOSHI_UPDATE_SCREENSHOT=1 DATABASE_URL=sqlite:///$(CURDIR)/var/test.sqlite3 $(VENV)/bin/pytest -q -k screenshot luoshi/tests/test_browser.py
	LUOSHI_UPDATE_SCREENSHOT=1 DATABASE_URL=sqlite:///$(CURDIR)/var/test.sqlite3 $(VENV)/bin/pytest -q luoshi/tests/test_browser_cockpit.py

clean:
	rm -rf $(VENV) var/static var/*.test.sqlite3 $(WHEELHOUSE)

# Mutation scores of the date and light rules (issue 21): slow, not part of `make test`. MODULES=cadence … narrows it.
.PHONY: mutate
mutate: $(VENV)/.installed-dev
	$(PY) bench/mutation.py $(MODULES)
