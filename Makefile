# KopDes: the commands of README.md.
.PHONY: test run bench lint format

test:  ## the whole test suite on a fresh database (what CI runs)
	bash scripts/test.sh

run:  ## create or update the demo database and serve it on http://localhost:8069
	bash scripts/run.sh

bench:  ## benchmarks of the batch jobs and list views (not part of the test suite)
	bash scripts/bench.sh

lint:
	python3 -m ruff check . && python3 -m ruff format --check . && python3 -m pylint --rcfile=.pylintrc-mandatory addons/*

format:
	python3 -m ruff check --fix . && python3 -m ruff format .
