# Build Compute Deal Modeler for Windows: the one-folder build (the windowed
# app and its console twin for the command line), the one-file executable and,
# when Inno Setup 6 is installed, the installer.
#
#   powershell -ExecutionPolicy Bypass -File installer\build.ps1 [-OnedirOnly] [-Dist DIR]
#
# Needs Python 3.11 with the 'build' extra in .venv:
#   py -3.11 -m venv .venv; .venv\Scripts\pip install -e ".[build]"
param(
    [switch]$OnedirOnly,
    [string]$Dist = ""
)
$ErrorActionPreference = "Stop"
$Root = Split-Path -Parent $PSScriptRoot
Set-Location $Root
$Python = if ($env:PYTHON) { $env:PYTHON } else { Join-Path $Root ".venv\Scripts\python.exe" }
if (-not $Dist) { $Dist = Join-Path $Root "installer\dist" }
New-Item -ItemType Directory -Force -Path $Dist | Out-Null
$Dist = (Resolve-Path $Dist).Path
$Name = "compute-deal-modeler"
$Spec = Join-Path $Root "installer\$Name.spec"
$Work = Join-Path $Dist ".work"
$Version = & $Python -c "import tomllib; print(tomllib.load(open('pyproject.toml','rb'))['project']['version'])"

& $Python -c "import PyInstaller" 2>$null
if ($LASTEXITCODE -ne 0) {
    Write-Error "PyInstaller is not installed for $Python; run: $Python -m pip install -e '.[build]'"
}

function Invoke-Build([string]$Mode, [string]$DistPath) {
    Write-Host "== $Mode build"
    $env:CDM_BUILD_MODE = $Mode
    & $Python -m PyInstaller --noconfirm --log-level WARN --distpath $DistPath --workpath (Join-Path $Work $Mode) $Spec
    if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed ($Mode)" }
}

function Test-Kpis([string]$Exe) {
    $json = & $Exe kpis --json | Out-String
    if ($LASTEXITCODE -ne 0 -or -not ($json | ConvertFrom-Json).total_contract_value) {
        throw "$Exe did not answer kpis --json"
    }
    Write-Host "   $Exe answers kpis --json"
}

Invoke-Build "onedir" $Dist
# The windowed app prints nothing to a console: check the console twin.
Test-Kpis (Join-Path $Dist "$Name\$Name-cli.exe")

if (-not $OnedirOnly) {
    Invoke-Build "onefile" (Join-Path $Work "onefile-dist")
    Move-Item -Force (Join-Path $Work "onefile-dist\$Name.exe") (Join-Path $Dist "$Name-$Version-windows-x64.exe")
    $Iscc = @("${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe", "$env:ProgramFiles\Inno Setup 6\ISCC.exe") |
        Where-Object { Test-Path $_ } | Select-Object -First 1
    if ($Iscc) {
        & $Iscc "/DAppVersion=$Version" "/DDistDir=$Dist" "/O$Dist" (Join-Path $Root "installer\windows\$Name.iss")
        if ($LASTEXITCODE -ne 0) { throw "Inno Setup failed" }
    } else {
        Write-Host "   Inno Setup 6 not found: skipped the installer (https://jrsoftware.org/isinfo.php)"
    }
}
Write-Host "build.ps1: done; results in $Dist"
