// Runs `npm ci` when node_modules does not match package-lock.json, so that a build after the
// first one needs no network. The lock file's hash is kept in node_modules after a successful
// install. Usage: node scripts/npm-ci-if-needed.mjs [NPM]
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const npm = process.argv[2] ?? 'npm';
const lock = readFileSync('package-lock.json');
const hash = createHash('sha256').update(lock).digest('hex');
const stamp = 'node_modules/.orchestra-lock.sha256';

if (existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === hash) {
  console.log('node_modules matches package-lock.json: no npm ci needed');
  process.exit(0);
}
console.log(`npm ci (package-lock.json ${hash.slice(0, 12)} is not installed yet)`);
const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund', '--prefer-offline'], { stdio: 'inherit' });
if (result.error) {
  console.error(`cannot run '${npm}': ${result.error.message}. Install Node.js 20+ with npm 11+, or pass -Dnpm=/path/to/npm.`);
  process.exit(1);
}
if (result.status !== 0) {
  console.error(`npm ci failed (exit ${result.status}); see its output above.`);
  process.exit(result.status ?? 1);
}
writeFileSync(stamp, hash + '\n');
