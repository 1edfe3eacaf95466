; Inno Setup 6 script: installs the one-folder build made by installer\build.ps1.
;   ISCC.exe /DAppVersion=0.1.0 /DDistDir=..\dist compute-deal-modeler.iss
; Per-user by default (no administrator rights needed on a locked-down laptop);
; nothing is downloaded at install or at run time.
#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#ifndef DistDir
  #define DistDir "..\dist"
#endif
#define AppName "Compute Deal Modeler"
#define AppExe "compute-deal-modeler.exe"

[Setup]
AppId={{6C3F2E0A-8B1D-4C55-9E0B-3D2A7B9F4C11}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=Compute Deal Modeler
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputBaseFilename=compute-deal-modeler-{#AppVersion}-windows-x64-setup
SetupIconFile=..\icons\compute-deal-modeler.ico
UninstallDisplayIcon={app}\{#AppExe}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#DistDir}\compute-deal-modeler\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{group}\Uninstall {#AppName}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
