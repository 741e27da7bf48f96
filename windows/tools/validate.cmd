@echo off
rem validate.cmd: spotless on a Windows test machine under Driver Verifier,
rem in two runs with a reboot between them. From the unpacked zip's test
rem folder, in a Command Prompt started as Administrator:
rem
rem   validate.cmd setup   trust the test certificate, install the driver's
rem                        service, turn Driver Verifier on for spotless.sys
rem                        (standard settings, I/O verification among them,
rem                        plus low-resources simulation for the storm's
rem                        process), open the driver's log filter.
rem                        Windows needs a REBOOT before Verifier acts.
rem   validate.cmd run     after the reboot: start the driver, run the
rem                        end-to-end tests, the tutorial's client, the storm
rem                        (allocations in its process fail now and then),
rem                        the exchange once more; one summary line; every
rem                        output, Verifier's counters and the driver's log
rem                        (when Dbgview.exe is beside this script) in results\
rem   validate.cmd tests   the same tests against a driver already running,
rem                        with no administrator step (make test runs this
rem                        under Wine)
rem   validate.cmd undo    Driver Verifier off, the service removed (reboot)
rem
rem Exit status: 0 when every step passed, 1 when one failed, 2 on bad usage.
rem Written from Microsoft's command references; not yet run on Windows.
setlocal EnableExtensions EnableDelayedExpansion
set "HERE=%~dp0"
set "TOP=%~dp0.."
set "RESULTS=%~dp0results"
set "SPOTLESS=%TOP%\bin\spotless.exe"
set "MESSAGE=spotless saying ola from userland"
set "REPLY=Received from the kernel land: ohai from them kernelz"
rem The storm's length: STORM_REQUESTS in the environment, else 100000.
if not defined STORM_REQUESTS set STORM_REQUESTS=100000
set PASSED=0
set FAILED=0

if "%~1"=="" goto usage_error
if "%~1"=="/?" goto usage
if /i "%~1"=="-h" goto usage
if /i "%~1"=="--help" goto usage
if not "%~2"=="" goto usage_error
if /i "%~1"=="setup" goto setup
if /i "%~1"=="run" goto run
if /i "%~1"=="tests" goto tests
if /i "%~1"=="undo" goto undo
echo validate: unknown command "%~1" 1>&2
goto usage_error

:usage
call :usage_text
exit /b 0

:usage_error
call :usage_text 1>&2
exit /b 2

:usage_text
echo usage: validate.cmd setup ^| run ^| tests ^| undo
echo.
echo   setup  certificate, service, Driver Verifier for spotless.sys; then reboot
echo   run    after the reboot: the tests under Verifier, one summary line
echo   tests  the tests only, against a driver already running
echo   undo   Driver Verifier off and the service removed; then reboot
echo.
echo Run as Administrator (all but tests). Results go to %RESULTS%
exit /b 0

rem ---- setup ----------------------------------------------------------------
:setup
call :need_files
if errorlevel 1 exit /b 1
call :need_admin
if errorlevel 1 exit /b 1
echo [validate] trusting the test certificate (Root and TrustedPublisher stores)
certutil -addstore Root "%TOP%\driver\spotless-test.cer" >nul || goto setup_failed
certutil -addstore TrustedPublisher "%TOP%\driver\spotless-test.cer" >nul || goto setup_failed
bcdedit /enum {current} | find /i "testsigning" | find /i "Yes" >nul
if errorlevel 1 (
	echo [validate] test signing is off: turn Secure Boot off, run
	echo [validate] "bcdedit /set testsigning on", reboot, then run setup again
	echo [validate] ^(doc\windows.md, section 2^)
	exit /b 1
)
echo [validate] installing the driver's service (demand start)
"%SPOTLESS%" status >nul 2>&1
if errorlevel 4 ("%SPOTLESS%" install "%TOP%\driver\spotless.sys" || goto setup_failed)
echo [validate] Driver Verifier for spotless.sys: standard settings and low-resources simulation
rem 0x209BB: the standard set (special pool, IRQL checking, pool tracking,
rem I/O verification, deadlock detection, DMA checks, security checks,
rem miscellaneous checks, DDI compliance); 0x4: low-resources simulation.
verifier /flags 0x209BF /driver spotless.sys || goto setup_failed
rem Inject failures only into allocations made for the storm's process,
rem 6% of them (600 in 10000), from the first minute after boot.
verifier /faults 600 "" spotless_storm.exe 0 || goto setup_failed
echo [validate] opening the log filter for the driver's information lines
reg add "HKLM\SYSTEM\CurrentControlSet\Control\Session Manager\Debug Print Filter" /v IHVDRIVER /t REG_DWORD /d 0xf /f >nul || goto setup_failed
echo.
echo [validate] REBOOT NOW: Driver Verifier and the log filter take effect at boot.
echo [validate] Then, as Administrator: "%~f0" run
exit /b 0

:setup_failed
echo [validate] setup failed at the step above 1>&2
exit /b 1

rem ---- run: under Verifier --------------------------------------------------
:run
call :need_files
if errorlevel 1 exit /b 1
call :need_admin
if errorlevel 1 exit /b 1
verifier /querysettings | find /i "spotless.sys" >nul
if errorlevel 1 (
	echo [validate] Driver Verifier is not set for spotless.sys: run "%~f0 setup" and reboot 1>&2
	exit /b 1
)
if not exist "%RESULTS%" mkdir "%RESULTS%"
set "DBGVIEW="
if exist "%HERE%Dbgview.exe" set "DBGVIEW=%HERE%Dbgview.exe"
if defined DBGVIEW (
	echo [validate] collecting the driver's log with DebugView into results\driver-log.txt
	start "" "%DBGVIEW%" /accepteula /k /v /t /l "%RESULTS%\driver-log.txt"
) else (
	echo [validate] no Dbgview.exe beside this script: the driver's log is not collected
)
echo [validate] starting the driver
"%SPOTLESS%" start >"%RESULTS%\start.txt" 2>&1
if errorlevel 1 (set /a FAILED+=1 & echo [validate]   start FAILED: see results\start.txt) else (set /a PASSED+=1)
call :the_tests
verifier /query >"%RESULTS%\verifier-query.txt" 2>&1
echo [validate] Driver Verifier's counters: results\verifier-query.txt
if defined DBGVIEW taskkill /im Dbgview.exe >nul 2>&1
goto summary

rem ---- tests: against a running driver, no administrator step -------------
:tests
call :need_files
if errorlevel 1 exit /b 1
if not exist "%RESULTS%" mkdir "%RESULTS%"
call :the_tests
goto summary

:the_tests
echo [validate] the end-to-end tests
"%HERE%test_driver.exe" >"%RESULTS%\test_driver.txt" 2>&1
call :counted test_driver
echo [validate] the tutorial's client
"%HERE%tutorial_client.exe" "%MESSAGE%" >"%RESULTS%\tutorial_client.txt" 2>&1
call :counted_reply tutorial_client
echo [validate] the storm: %STORM_REQUESTS% requests, hostile ones among them
"%HERE%spotless_storm.exe" --requests %STORM_REQUESTS% --seed 1 >"%RESULTS%\storm.txt" 2>&1
call :counted storm
echo [validate] the tutorial's exchange after the storm
"%HERE%tutorial_client.exe" "%MESSAGE%" >"%RESULTS%\tutorial_client_after.txt" 2>&1
call :counted_reply tutorial_client_after
exit /b 0

rem :counted NAME: the last command's exit status, counted.
:counted
if errorlevel 1 (
	set /a FAILED+=1
	echo [validate]   %~1 FAILED: see results\%~1.txt
) else (
	set /a PASSED+=1
	echo [validate]   %~1 passed
)
exit /b 0

rem :counted_reply NAME: the client exited 0 and printed the driver's reply.
:counted_reply
if errorlevel 1 goto counted
find "%REPLY%" "%RESULTS%\%~1.txt" >nul
goto counted

:summary
echo validate: %PASSED% passed, %FAILED% failed (results in %RESULTS%)
if %FAILED% gtr 0 exit /b 1
exit /b 0

rem ---- undo -------------------------------------------------------------------
:undo
call :need_admin
if errorlevel 1 exit /b 1
echo [validate] Driver Verifier off
verifier /reset
echo [validate] stopping and removing the driver's service
"%SPOTLESS%" stop
"%SPOTLESS%" remove
echo [validate] reboot to finish; "bcdedit /set testsigning off" if you are done with test signing
exit /b 0

rem ---- checks -------------------------------------------------------------------
:need_files
set MISSING=
for %%f in ("%HERE%test_driver.exe" "%HERE%spotless_storm.exe" "%HERE%tutorial_client.exe" "%SPOTLESS%" "%TOP%\driver\spotless.sys") do (
	if not exist %%f (
		echo validate: missing %%~f: run me from the unpacked zip's test folder 1>&2
		set MISSING=1
	)
)
if defined MISSING exit /b 1
exit /b 0

:need_admin
net session >nul 2>&1
if errorlevel 1 (
	echo validate: run me from a Command Prompt started as Administrator 1>&2
	exit /b 1
)
exit /b 0
