#!/usr/bin/env node
// `npm run bench`, part two: `session-audit scan` over a repository-shaped tree of 5,000 files
// (target < 3 s on the 2-core machine). The tree mixes what real repositories hold: app code that
// does not touch sessions, app code and settings that do (every framework's fixtures), proxy and
// deployment configs, docs and assets; the demo system sits inside it so linking has work to do.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin/session-audit.js');
const FILES = Number(process.env.BENCH_REPO_FILES ?? 5_000);

const filesUnder = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Plain code of the languages the app readers open, of a realistic size (no session code). */
const PLAIN_CODE = {
  'handler.js': `'use strict';\nconst express = require('express');\nconst router = express.Router();\n${'router.get(\'/items/:id\', async (req, res) => {\n  const item = await db.items.find(req.params.id);\n  res.json(item);\n});\n'.repeat(30)}module.exports = router;\n`,
  'service.ts': `import { z } from 'zod';\n${'export async function load(id: string): Promise<Item> {\n  const row = await db.query(\'select * from items where id = $1\', [id]);\n  return Item.parse(row);\n}\n'.repeat(30)}`,
  'views.py': `from django.http import JsonResponse\n${'def item(request, pk):\n    obj = Item.objects.get(pk=pk)\n    return JsonResponse({"id": obj.pk, "name": obj.name})\n\n'.repeat(30)}`,
  'handler.go': `package api\n\nimport "net/http"\n${'func Item(w http.ResponseWriter, r *http.Request) {\n\tid := r.URL.Query().Get("id")\n\twriteJSON(w, load(id))\n}\n'.repeat(30)}`,
  'Controller.java': `package shop;\n${'    public Item get(String id) {\n        return repository.findById(id).orElseThrow();\n    }\n'.repeat(30)}`,
  'Service.cs': `namespace Shop;\n${'    public Item Get(string id) => _db.Items.Find(id);\n'.repeat(30)}`,
  'README.md': `# service\n\n${'Some documentation about the service and how to run it.\n'.repeat(20)}`,
  'logo.png': '\x89PNG\r\n\x1a\n' + 'x'.repeat(4000),
};

function generateRepo() {
  const dir = mkdtempSync(path.join(tmpdir(), 'session-audit-repo-'));
  cpSync(path.join(root, 'fixtures/demo'), path.join(dir, 'demo'), { recursive: true });
  const templates = [...filesUnder(path.join(root, 'fixtures/parsers')), ...filesUnder(path.join(root, 'fixtures/rules'))]
    .filter((file) => !/broken|unclosed|invalid/i.test(path.basename(file)) && !file.endsWith('.store.json') && !file.endsWith('.jwt'))
    .map((file) => ({ name: path.basename(file), text: readFileSync(file, 'utf8') }))
    .filter(({ text }) => !/^\s*include\b/m.test(text));
  const plain = Object.entries(PLAIN_CODE);
  let written = filesUnder(dir).length;
  for (let index = 0; written < FILES; index++, written++) {
    // Four plain files for every config or session file, as in a repository that is mostly code.
    const module = path.join(dir, `service-${Math.floor(index / 250)}`, `module-${Math.floor(index / 10)}`);
    if (index % 5 === 4) {
      // Config and settings files keep their names (formats are told by name): one folder each.
      const { name, text } = templates[Math.floor(index / 5) % templates.length];
      mkdirSync(path.join(module, `config-${index}`), { recursive: true });
      writeFileSync(path.join(module, `config-${index}`, name), text);
    } else {
      const [name, text] = plain[index % plain.length];
      mkdirSync(module, { recursive: true });
      writeFileSync(path.join(module, `${index}-${name}`), text);
    }
  }
  return dir;
}

const dir = generateRepo();
try {
  const time = () => {
    const started = process.hrtime.bigint();
    const run = spawnSync(process.execPath, [bin, 'scan', dir, '--format', 'json', '--fail-on', 'none'], { encoding: 'utf8', maxBuffer: 1 << 30 });
    return { ms: Number(process.hrtime.bigint() - started) / 1e6, run };
  };
  time(); // warm the page cache
  const runs = [time(), time(), time()];
  const last = runs[runs.length - 1].run;
  if (last.status !== 0 && last.status !== 2) throw new Error(`scan failed: ${last.stderr}`);
  const report = JSON.parse(last.stdout);
  console.log(`session-audit scan-repo bench (node ${process.version}, ${cpus().length} cores)`);
  console.log(
    `scan a ${FILES}-file repository (${report.summary.files} files recognised, ${report.map.nodes.length} map nodes, ` +
      `${report.summary.findings} findings): median ${median(runs.map((r) => r.ms)).toFixed(0)} ms  (target < 3000 ms)`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
