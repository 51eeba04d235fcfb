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

# Serve the demo county as production does, on http://$(HOST):$(PORT) from an SQLite file under var/:
# DEBUG off (DEBUG=1 make run for development), a secret key generated once into var/secret_key (settings
# read it from there, so every `manage.py` command works as typed afterwards), static files collected and
# served by whitenoise, gunicorn with $(WORKERS) workers, and the worker and the scheduler beside it.
# The demo county is loaded on first start only (load_demo --if-empty --demo-site); see README: 重置演示数据.
# HOST=0.0.0.0 lets colleagues on the office network in: the machine's own addresses are allowed as hosts.
WORKERS ?= 2
run: $(VENV)/.installed
	@mkdir -p var
	@test -s var/secret_key || (umask 077 && $(PY) -c "import secrets; print(secrets.token_urlsafe(64))" > var/secret_key && echo "已生成密钥 var/secret_key(请勿外传;删除后重新生成会使所有登录失效)")
	@hosts="localhost,127.0.0.1"; \
	case "$(HOST)" in 127.0.0.1|localhost) ;; 0.0.0.0) hosts="$$hosts,$$(hostname -I 2>/dev/null | xargs | tr ' ' ',')" ;; *) hosts="$$hosts,$(HOST)" ;; esac; \
	hosts=$${ALLOWED_HOSTS:-$${hosts%,}}; \
	export DEBUG=$${DEBUG:-0} ALLOWED_HOSTS="$$hosts"; \
	$(PY) manage.py migrate --noinput && \
	$(PY) manage.py collectstatic --noinput -v 0 && \
	$(PY) manage.py load_demo --if-empty --demo-site && \
	echo "" && \
	echo "落实已启动:http://$(HOST):$(PORT)/(允许的主机名:$$hosts)" && \
	echo "演示账号(密码均为 luoshi2026):office 督查室 · leader 常务副县长 · unit 财政局联络员 · unit2 住建局联络员 · admin 系统管理员 · security 安全保密管理员 · auditor 安全审计员" && \
	echo "" && \
	{ $(PY) manage.py db_worker --no-reload & worker=$$!; \
	  $(PY) manage.py notify_scheduler & scheduler=$$!; \
	  trap 'kill $$worker $$scheduler 2>/dev/null; wait $$worker $$scheduler' EXIT INT TERM; \
	  $(VENV)/bin/gunicorn luoshi.wsgi --bind $(HOST):$(PORT) --workers $(WORKERS) --timeout 120 \
	    --access-logfile - --error-logfile - --capture-output; }

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
