@echo off
chcp 65001 >nul
rem Shared by the launchers (生成周报.bat and the others call it): make .venv once, from the bundled wheels
rem when this folder has them (no internet needed), else from the package index. The install is recorded only
rem after pip succeeded; a missing record, or one naming another package, starts again from a clean .venv.
rem Exit code 0: .venv is ready. Otherwise the reason has been printed and the launcher keeps the window open.
setlocal
if /i not "%~1"=="/from-launcher" goto :direct

set "CC_MARKER=.venv\安装完成.txt"
set "CC_OFFLINE="
set "CC_WANT="
if exist "wheels\bundle.txt" goto :offline_mode
if exist "pyproject.toml" goto :source_mode
echo 找不到安装文件：请把安装包完整解压后，再双击解压出的启动文件。
exit /b 1

:offline_mode
rem The offline package: its one line names this build, so a newer package unpacked here reinstalls.
set "CC_OFFLINE=1"
set /p CC_WANT=<"wheels\bundle.txt"
if not defined CC_WANT goto :offline_failed
goto :config

:source_mode
rem A source folder reinstalls when pyproject.toml changes, as `make setup` does.
for %%F in (pyproject.toml) do set "CC_WANT=source %%~tF %%~zF"

:config
rem The package ships campaign.example.yaml only, so unpacking a newer one never replaces the office's own.
if exist "campaign.yaml" goto :check
if not exist "campaign.example.yaml" goto :check
copy "campaign.example.yaml" "campaign.yaml" >nul
echo 已按 campaign.example.yaml 建立 campaign.yaml：请用记事本打开，换成本乡的单位名册和日期。

:check
if not exist ".venv\Scripts\python.exe" goto :first
if not exist "%CC_MARKER%" goto :unfinished
set "CC_HAVE="
set /p CC_HAVE=<"%CC_MARKER%"
if not "%CC_HAVE%"=="%CC_WANT%" goto :changed
rem Recorded as complete; the Python behind .venv may still have been removed or upgraded since.
".venv\Scripts\python.exe" -c "import importlib.metadata as m; m.version('chuangcheng')" >nul 2>&1 || goto :broken
exit /b 0

:first
echo 首次运行，正在安装（约 1 分钟）……
goto :install
:unfinished
echo 上次安装没有完成（可能中途断网或关闭了窗口），现在重新安装（约 1 分钟）……
goto :install
:changed
echo 安装包已更新，正在重新安装（约 1 分钟）……
goto :install
:broken
echo 安装的程序无法启动（可能卸载或升级了 Python），现在重新安装（约 1 分钟）……

:install
call :find_python
if not defined CC_PY goto :no_python
echo 使用 Python %CC_VER%：%CC_PY%
if exist ".venv" rmdir /s /q ".venv"
if exist ".venv" goto :locked
%CC_PY% -m venv .venv || goto :venv_failed
if defined CC_OFFLINE goto :install_offline
".venv\Scripts\python.exe" -m pip install --disable-pip-version-check -e . || goto :online_failed
goto :installed
:install_offline
".venv\Scripts\python.exe" -m pip install --isolated --disable-pip-version-check --no-index --find-links wheels chuangcheng || goto :offline_failed
:installed
rem Written here only, after pip succeeded: a failed or interrupted install leaves no record and is redone.
>"%CC_MARKER%" echo %CC_WANT%
echo 安装完成。
exit /b 0

:find_python
rem The py launcher first (python.exe on PATH is often the Microsoft Store stub), then python; for the offline
rem package also each version it has wheels for, in case py -3 picks a newer one the package does not cover.
set "CC_PY="
set "CC_OLD="
set "CC_UNFIT="
call :probe py -3
if not defined CC_PY call :probe python
if not defined CC_OFFLINE exit /b 0
for %%V in (3.14 3.13 3.12 3.11) do if not defined CC_PY call :probe py -%%V
exit /b 0

:probe
rem %* is a command that may start Python: accept it if it is 3.11 or later and, offline, the package has
rem wheels for it; otherwise note why not (CC_OLD, CC_UNFIT) for the message. No input: an installer that
rem asks a question behind this probe gets an answer at once instead of waiting unseen.
set "CC_MAJOR="
for /f "usebackq tokens=1-3" %%A in (`%* -c "import sys, struct; print(' '.join(str(n) for n in (sys.version_info[0], sys.version_info[1], struct.calcsize('P') * 8)))" 2^>nul ^<nul`) do (
  set "CC_MAJOR=%%A"
  set "CC_MINOR=%%B"
  set "CC_BITS=%%C"
)
if not defined CC_MAJOR exit /b 0
set /a CC_NUM=CC_MAJOR*100+CC_MINOR
if %CC_NUM% LSS 311 (
  set "CC_OLD=%CC_MAJOR%.%CC_MINOR%"
  exit /b 0
)
set "CC_TAG=cp%CC_MAJOR%%CC_MINOR%-win_amd64"
if not "%CC_BITS%"=="64" set "CC_TAG=cp%CC_MAJOR%%CC_MINOR%-win32"
if not defined CC_OFFLINE goto :accept
findstr /l /c:"%CC_TAG%" "wheels\bundle.txt" >nul && goto :accept
set "CC_UNFIT=%CC_MAJOR%.%CC_MINOR%，%CC_BITS% 位"
exit /b 0
:accept
set "CC_PY=%*"
set "CC_VER=%CC_MAJOR%.%CC_MINOR%"
exit /b 0

:no_python
if defined CC_UNFIT goto :no_fit
if defined CC_OLD goto :too_old
echo 没有找到 Python。
goto :get_python
:too_old
echo 找到的 Python 是 %CC_OLD% 版，太旧了：本工具需要 Python 3.11 或更高版本。
goto :get_python
:no_fit
echo 本机的 Python 是 %CC_UNFIT%，离线安装包里没有适合它的文件：离线安装包适用于 64 位的 Python 3.11、3.12、3.13、3.14。
:get_python
echo 请安装 64 位的 Python 3.11 到 3.14 中的任一版本：在 python.org 下载 Windows installer (64-bit)，
echo 办公电脑不能上网时在别的电脑下载后用 U 盘拷来；安装时勾选 Add python.exe to PATH，装好后重新双击本文件。
exit /b 1

:locked
echo 无法删除旧的 .venv 文件夹，可能另一个窗口正在运行本工具：请关闭其他窗口后重新双击本文件。
exit /b 1
:venv_failed
echo 建立 .venv 失败：请确认本文件夹可以写入（不要放在 C:\Program Files 里），Python 安装完整，然后重新双击本文件。
exit /b 1
:offline_failed
echo 安装失败：离线安装包可能不完整。请把安装包重新完整解压到本文件夹（wheels 文件夹里的文件一个都不能少），
echo 然后重新双击本文件，会自动重新安装。
exit /b 1
:online_failed
echo 安装失败：第一次安装需要连接互联网下载程序库。请检查网络后重新双击本文件，会自动重新安装；
echo 办公电脑不能上网时，请改用离线安装包（见 README.md 中“安装到办公电脑”一节）。
exit /b 1

:direct
echo 本文件由 生成周报.bat 等启动文件调用：请双击它们，不要直接运行本文件。
pause
exit /b 1
