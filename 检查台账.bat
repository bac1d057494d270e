@echo off
chcp 65001 >nul
rem Double-click: install on first use (launcher\prepare.cmd), then check the inbox; the window stays open.
setlocal
cd /d "%~dp0"
if not exist "launcher\prepare.cmd" goto :not_unpacked
call "launcher\prepare.cmd" /from-launcher
if errorlevel 1 goto :failed
rem -P: the installed package, never a stale pipeline\ folder that an older copy left beside this file.
".venv\Scripts\python.exe" -P -m pipeline validate %*
set "CC_RC=%errorlevel%"
pause
exit /b %CC_RC%

:not_unpacked
echo 找不到 launcher\prepare.cmd：请先把安装包全部解压，再双击解压出的文件夹里的本文件。
:failed
pause
exit /b 1
