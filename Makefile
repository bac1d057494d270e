# 创城台账汇总 —— 常用命令（Windows 上请用 生成周报.bat / 生成模板.bat）
# make report            生成本周督查汇总表和整改清单（首次运行会自动安装）
# make test              运行全部检查和测试
# 可传入：INBOX=收件箱 OUTBOX=输出文件夹 CONFIG=配置文件 AS_OF=2026-12-18（试算；加 RECORD=1 记入历史）

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
BENCH_STAMP := $(VENV)/.bench-stamp

ARGS_IO = $(if $(INBOX),--inbox "$(INBOX)") $(if $(CONFIG),--config "$(CONFIG)") $(if $(AS_OF),--as-of "$(AS_OF)")
ARGS_OUT = $(if $(OUTBOX),--outbox "$(OUTBOX)")

.PHONY: report validate templates demo test lint fuzz bench screenshots setup bundle clean

# Installing says one line of what it does; the output of its steps (pip's errors included) is shown only when
# one fails, followed by what to do. The stamp is written last, so a failed or interrupted install is redone.
comma := ,
INSTALL_FAILED := 安装失败：原因见上面的信息。请检查网络后重新运行，会自动重新安装；不能上网时请改用离线安装包（见 README.md 中“安装到办公电脑”一节）。
quietly = log=$$(mktemp) && if { $(1); } >"$$log" 2>&1; then rm -f "$$log"; else cat "$$log" >&2; rm -f "$$log"; echo "$(INSTALL_FAILED)" >&2; exit 1; fi

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "需要 Python 3.11 或更新的版本（现在的 $(PYTHON) 是 $$($(PYTHON) -V 2>&1)）；请安装后重新运行，或用 make PYTHON=python3.11 指定"; exit 2; }
	@if [ -e $(STAMP) ]; then echo "程序有更新，正在重新安装（约 1 分钟）……"; elif [ -d $(VENV) ]; then echo "上次安装没有完成，现在重新安装（约 1 分钟）……"; else echo "首次运行，正在安装（约 1 分钟）……"; fi
	@$(call quietly,$(PYTHON) -m venv $(VENV) && PYTHONWARNINGS=ignore $(BIN)/python -m pip install --quiet --upgrade pip && PYTHONWARNINGS=ignore $(BIN)/python -m pip install --quiet -e '.[dev]')
	@touch $(STAMP)

$(BENCH_STAMP): $(STAMP)
	@echo "正在安装性能测试用的程序库……"
	@$(call quietly,PYTHONWARNINGS=ignore $(BIN)/python -m pip install --quiet -e '.[dev$(comma)bench]')
	@touch $(BENCH_STAMP)

setup: $(STAMP)

# The clerk's commands print only what the tool says (no echo of the command line).
report: $(STAMP)
	@$(BIN)/chuangcheng report $(ARGS_IO) $(ARGS_OUT) $(if $(RECORD),--record)

# Problems found in the ledgers are the units' to fix, not a failure of make: the command's exit code 1
# (kept for scripts) ends the recipe with 0, after its closing line says so; any other failure still fails.
validate: $(STAMP)
	@$(BIN)/chuangcheng validate $(ARGS_IO) || [ $$? -eq 1 ]

templates: $(STAMP)
	@$(BIN)/chuangcheng templates $(if $(CONFIG),--config "$(CONFIG)")

demo: $(STAMP)
	@$(BIN)/chuangcheng demo $(if $(CONFIG),--config "$(CONFIG)")

lint: $(STAMP)
	$(BIN)/ruff check pipeline tests bench docs tools
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	$(BIN)/pytest -q

screenshots: $(STAMP)
	$(BIN)/python -m docs.render docs

bench: $(BENCH_STAMP)
	$(BIN)/python -m bench.run

# The offline install package for the office PC (README “安装到办公电脑”): dist/创城台账汇总-<version>.zip.
bundle: $(STAMP)
	$(BIN)/python -m tools.bundle --out dist

fuzz: $(STAMP)
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-20000} FUZZ_RANDOM=1 $(BIN)/pytest -q -p no:warnings tests/test_fuzz.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache demo dist
