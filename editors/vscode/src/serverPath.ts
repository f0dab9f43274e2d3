// Finds the genai-scope binary: the `genaiScope.server.path` setting, else the binary bundled in
// the extension (`server/genai-scope`), else `genai-scope` on PATH. No VS Code API here, so
// that it can be tested under plain Node.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const BINARY_NAME = process.platform === 'win32' ? 'genai-scope.exe' : 'genai-scope';

export type ServerSource = 'setting' | 'bundled' | 'path';

export interface Found {
  ok: true;
  command: string;
  source: ServerSource;
}

export interface NotFound {
  ok: false;
  /** What was tried, in order, for the notification and the output channel. */
  tried: string[];
  /** Set when the setting names a file that is missing or not executable. */
  badSetting?: string;
}

export interface Inputs {
  settingPath: string | undefined;
  extensionPath: string;
  workspaceFolder: string | undefined;
  envPath: string | undefined;
}

function isExecutableFile(file: string): boolean {
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) return false;
    if (process.platform === 'win32') return true;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Expands `~`, `${userHome}` and `${workspaceFolder}`; resolves a relative path against the
 *  first workspace folder. */
export function expandSettingPath(p: string, workspaceFolder: string | undefined): string {
  let out = p.trim();
  const home = os.homedir();
  if (out === '~' || out.startsWith('~/')) out = home + out.slice(1);
  out = out.replace(/\$\{userHome\}/g, home);
  if (workspaceFolder) out = out.replace(/\$\{workspaceFolder\}/g, workspaceFolder);
  if (!path.isAbsolute(out) && (out.includes('/') || out.includes(path.sep))) {
    out = path.resolve(workspaceFolder ?? process.cwd(), out);
  }
  return out;
}

export function searchPath(name: string, envPath: string | undefined): string | undefined {
  for (const dir of (envPath ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

export function findServer(inp: Inputs): Found | NotFound {
  const tried: string[] = [];
  const setting = (inp.settingPath ?? '').trim();
  if (setting) {
    const expanded = expandSettingPath(setting, inp.workspaceFolder);
    // A bare name ("genai-scope-dev") is looked up on PATH.
    const candidate = path.isAbsolute(expanded) ? expanded : searchPath(expanded, inp.envPath);
    if (candidate && isExecutableFile(candidate)) {
      return { ok: true, command: candidate, source: 'setting' };
    }
    // An explicit setting that does not work is reported, never silently replaced.
    tried.push(`genaiScope.server.path = ${setting} (${candidate ?? expanded}: no executable file)`);
    return { ok: false, tried, badSetting: setting };
  }
  tried.push('genaiScope.server.path (not set)');

  const bundled = path.join(inp.extensionPath, 'server', BINARY_NAME);
  if (fs.existsSync(bundled)) {
    if (!isExecutableFile(bundled) && process.platform !== 'win32') {
      // Some unzip paths drop the executable bit.
      try {
        fs.chmodSync(bundled, 0o755);
      } catch {
        /* reported below */
      }
    }
    if (isExecutableFile(bundled)) return { ok: true, command: bundled, source: 'bundled' };
    tried.push(`${bundled} (bundled, but not executable)`);
  } else {
    tried.push(`${bundled} (no bundled binary in this build of the extension)`);
  }

  const onPath = searchPath(BINARY_NAME, inp.envPath);
  if (onPath) return { ok: true, command: onPath, source: 'path' };
  tried.push(`${BINARY_NAME} on PATH (not found)`);
  return { ok: false, tried };
}
