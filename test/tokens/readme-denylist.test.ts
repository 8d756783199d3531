// The README's example of an application checking the token denylist, run as written (the code block
// is read from README.md) against a real redis-server started here, on entries written by
// `session-audit token revoke`. If the example or the key layout drifts, this fails.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliAsync } from '../support/cli.js';
import { repoRoot } from '../support/parse.js';
import { startRedis, type RedisProcess } from '../support/redis-servers.js';

const README_MARKER = '**Checking the list in your application**';

function readmeExample(): string {
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const after = readme.slice(readme.indexOf(README_MARKER));
  const block = /```js\n([\s\S]*?)```/.exec(after);
  if (!block) throw new Error('README: no js block after the denylist example heading');
  return block[1];
}

let redis: RedisProcess;
// Inside the repository, so that `import Redis from 'ioredis'` resolves as it would in an app.
const moduleFile = path.join(repoRoot, `.readme-denylist-${process.pid}.mjs`);

beforeAll(async () => {
  redis = await startRedis();
  writeFileSync(moduleFile, `${readmeExample()}\nexport const close = () => redis.disconnect();\n`);
}, 60_000);

afterAll(async () => {
  rmSync(moduleFile, { force: true });
  await redis?.stop();
});

describe('the README example', () => {
  it('is a few lines, and agrees with what token revoke writes', async () => {
    const code = readmeExample().split('\n').filter((line) => line.trim() !== '');
    expect(code.length).toBeLessThanOrEqual(6);
    const url = `redis://127.0.0.1:${redis.port}`;
    const now = Math.floor(Date.now() / 1000);
    const env = { XDG_STATE_HOME: path.join(repoRoot, 'test-results'), REDISCLI_AUTH: '' };
    expect((await runCliAsync(['token', 'revoke', '--jti', 'leaked-1', '--ttl', '1h', '--redis', url, '--yes', '--no-audit-log'], { env })).status).toBe(0);
    expect((await runCliAsync(['token', 'revoke', '--user', 'alice', '--before', String(now), '--ttl', '1h', '--redis', url, '--yes', '--no-audit-log'], { env })).status).toBe(0);

    process.env.REDIS_URL = url;
    const example = (await import(pathToFileURL(moduleFile).href)) as { isRevoked: (claims: Record<string, unknown>) => Promise<boolean>; close: () => void };
    try {
      expect(await example.isRevoked({ jti: 'leaked-1', sub: 'bob', iat: now })).toBe(true);
      expect(await example.isRevoked({ jti: 'fine-1', sub: 'bob', iat: now - 999 })).toBe(false);
      expect(await example.isRevoked({ jti: 'fine-2', sub: 'alice', iat: now - 1 })).toBe(true);
      expect(await example.isRevoked({ jti: 'fine-3', sub: 'alice' })).toBe(true);
      expect(await example.isRevoked({ jti: 'fine-4', sub: 'alice', iat: now + 5 })).toBe(false);
    } finally {
      example.close();
      delete process.env.REDIS_URL;
    }
  });
});
