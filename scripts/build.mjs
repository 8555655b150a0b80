// Builds what ships: the desk (Vite, into dist/web) and the server (esbuild, into
// dist/server/main.js), each only when its inputs changed since the last build.
//
//   node scripts/build.mjs            builds both
//   node scripts/build.mjs --stale    builds only what is stale (what `npm start` does)
//   node scripts/build.mjs --server-to DIR   bundles the server into DIR only (tests)
//
// "Stale" is decided by content, not by file times: a checkout that moves back and forth
// between branches touches files without changing them, and an edit within the same second
// keeps a file's time. The hashes of the last build's inputs are kept in dist/build-state.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const STATE_DIR = join(ROOT, 'dist', 'build-state');
export const SERVER_ENTRY = join(ROOT, 'dist', 'server', 'main.js');

// Whatever changes every build's output, besides the sources themselves.
const SHARED_INPUTS = ['package-lock.json', 'tsconfig.json', 'scripts/build.mjs'];
const DESK_INPUTS = ['index.html', 'vite.config.ts', 'public', 'src/web', 'src/contract'];

const isTest = (path) => /\.test\.[cm]?[jt]sx?$/.test(path) || path.includes('/test/');

/** Every file of these files and directories, relative to the root, tests left out. */
function listInputs(paths) {
  const files = new Set();
  for (const path of paths) {
    const full = join(ROOT, path);
    if (!existsSync(full)) continue;
    if (!statSync(full).isDirectory()) {
      files.add(path);
      continue;
    }
    for (const entry of readdirSync(full, { withFileTypes: true, recursive: true })) {
      const file = relative(ROOT, join(entry.parentPath, entry.name));
      if (entry.isFile() && !isTest(file)) files.add(file);
    }
  }
  return [...files].sort();
}

function hashFiles(files) {
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(file).update('\0');
    const full = join(ROOT, file);
    hash.update(existsSync(full) ? readFileSync(full) : 'missing').update('\0');
  }
  return hash.digest('hex');
}

function readState(name) {
  try {
    return JSON.parse(readFileSync(join(STATE_DIR, `${name}.json`), 'utf8'));
  } catch {
    return undefined;
  }
}

function writeState(name, state) {
  mkdirSync(STATE_DIR, { recursive: true });
  writeFileSync(join(STATE_DIR, `${name}.json`), JSON.stringify(state, null, 2) + '\n');
}

function run(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${args.join(' ')} exited with ${code}`)),
    );
  });
}

const desk = {
  name: 'desk',
  output: join(ROOT, 'dist', 'web', 'index.html'),
  inputs: () => listInputs([...SHARED_INPUTS, ...DESK_INPUTS]),
  async build() {
    await run(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build']);
    return this.inputs();
  },
};

const server = {
  name: 'server',
  output: SERVER_ENTRY,
  // The files the last bundle was made of (esbuild's metafile), so that a test file or a
  // desk component changing does not rebuild the server.
  inputs: (state) =>
    listInputs([...SHARED_INPUTS, ...(state?.files ?? ['src/server', 'src/contract'])]),
  build: () => bundleServer(dirname(SERVER_ENTRY)),
};

/**
 * Modules that read files from beside themselves (`import.meta.dirname`: the SQL
 * migrations of each database) would all read from the bundle's one directory. Each gets
 * its own instead: `resources/<its source directory>` beside the bundle, where the build
 * copies what it reads.
 */
function ownDirectories(used) {
  return {
    name: 'own-directories',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, (args) => {
        if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
        const text = readFileSync(args.path, 'utf8');
        if (!text.includes('import.meta.dirname')) return undefined;
        const dir = relative(ROOT, dirname(args.path));
        used.add(dir);
        return {
          contents: text.replaceAll(
            'import.meta.dirname',
            `__sourceDirectory(${JSON.stringify(dir)})`,
          ),
          loader: 'ts',
        };
      });
    },
  };
}

/**
 * Bundles src/server/main.ts into `outdir`/main.js, with what its modules read from
 * beside themselves copied under `outdir`/resources; answers the source files the bundle
 * was made of.
 */
export async function bundleServer(outdir) {
  const esbuild = await import('esbuild');
  rmSync(outdir, { recursive: true, force: true });
  const used = new Set();
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: ['src/server/main.ts'],
    outdir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    // Dependencies stay in node_modules (better-sqlite3 is native; pino starts its
    // transports by package name): only our own TypeScript, and the fixture JSON it
    // imports, go into the bundle.
    packages: 'external',
    sourcemap: true,
    metafile: true,
    logLevel: 'warning',
    plugins: [ownDirectories(used)],
    banner: {
      js: [
        '// Built by scripts/build.mjs from src/server: edit the sources, not this file.',
        "import { dirname as __dirname_, join as __join } from 'node:path';",
        "import { fileURLToPath as __fileURLToPath } from 'node:url';",
        'const __sourceDirectory = (dir) =>',
        "  __join(__dirname_(__fileURLToPath(import.meta.url)), 'resources', dir);",
      ].join('\n'),
    },
  });
  const copied = [];
  for (const dir of used) {
    const migrations = join(dir, 'migrations');
    if (!existsSync(join(ROOT, migrations))) continue;
    cpSync(join(ROOT, migrations), join(outdir, 'resources', migrations), { recursive: true });
    copied.push(migrations);
  }
  const files = Object.keys(result.metafile.inputs)
    .filter((p) => !p.startsWith('node_modules/'))
    .concat(copied);
  await esbuild.stop?.();
  return { files };
}

async function buildOne(target, { onlyStale }) {
  const state = readState(target.name);
  if (onlyStale && state && existsSync(target.output)) {
    if (state.hash === hashFiles(target.inputs(state))) return false;
  }
  const started = performance.now();
  const built = await target.build();
  const next = Array.isArray(built) ? {} : built;
  writeState(target.name, { ...next, hash: hashFiles(target.inputs(next)) });
  console.log(`built the ${target.name} in ${Math.round(performance.now() - started)} ms`);
  return true;
}

/** Builds the desk and the server (only the stale ones with `onlyStale`); says what it built. */
export async function buildAll({ onlyStale = false } = {}) {
  return {
    desk: await buildOne(desk, { onlyStale }),
    server: await buildOne(server, { onlyStale }),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    const to = process.argv.indexOf('--server-to');
    if (to > 0) await bundleServer(process.argv[to + 1]);
    else await buildAll({ onlyStale: process.argv.includes('--stale') });
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
