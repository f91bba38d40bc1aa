# guifan — two commands for a new user: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1:8000

.PHONY: run test bench lint format install system-deps messages clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

system-deps:
	bash scripts/system-deps.sh

run: $(STAMP) system-deps
	$(BIN)/python manage.py migrate --no-input -v 0
	$(BIN)/python manage.py seed_demo
	@echo "规范性文件备案审查系统: http://$(HOST)/  (Ctrl-C 停止 / to stop)"
	$(BIN)/python manage.py runserver $(HOST)

test: $(STAMP)
	bash scripts/system-deps.sh --with-browser
	$(BIN)/python manage.py makemigrations --check --dry-run -v 0
	$(BIN)/pytest $(PYTEST_ARGS)

bench: $(STAMP) system-deps
	@for b in bench/lifecycle.py bench/reports.py bench/pages.py bench/workflow.py bench/comments.py; do \
	  if [ -f $$b ]; then echo "== $$b"; $(BIN)/python $$b || exit 1; fi; \
	done

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: $(STAMP)
	$(BIN)/python manage.py compilemessages -v 0

clean:
	rm -rf $(VENV) var .pytest_cache test-results
