@echo off
chcp 65001 >nul
cd /d "%~dp0"
if not exist .venv\Scripts\python.exe (
  echo 首次运行，正在安装……
  python -m venv .venv || goto :fail
  .venv\Scripts\python.exe -m pip install -e . || goto :fail
)
.venv\Scripts\python.exe -m pipeline report %*
pause
exit /b
:fail
echo 安装失败：请先安装 Python 3.11 或更高版本（安装时勾选 Add python.exe to PATH）。
pause
