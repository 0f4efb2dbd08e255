// Help, --version and usage errors (issue 11 item 10): every command has its
// own --help; --help describes --clients; a usage error is exit 2 with one
// clear line and where to read the usage.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMANDS } from '../../server/src/cli/commands';
import { nsupgrade, ROOT } from './run';

test('every command of the registry has its own --help (exit 0, on stdout), and the main help lists it', () => {
  const main = nsupgrade('--help');
  assert.equal(main.code, 0, main.stderr);
  assert.deepEqual(
    COMMANDS.map((c) => c.name),
    ['check', 'decide', 'serve', 'simulate', 'plan'],
  );
  for (const { name } of COMMANDS) {
    assert.match(main.stdout, new RegExp(`^  ${name} `, 'm'), name);
    for (const ask of [[name, '--help'], [name, '-h'], ['help', name]]) {
      const r = nsupgrade(...ask);
      assert.equal(r.code, 0, `${ask.join(' ')}: ${r.stderr}`);
      assert.equal(r.stderr, '');
      assert.ok(r.stdout.startsWith(`Usage: nsupgrade ${name} [options] <`), `${ask.join(' ')}:\n${r.stdout}`);
    }
  }
});

test('check --help shows its options; decide --help every flag of spec section 6', () => {
  const check = nsupgrade('check', '--help');
  assert.match(check.stdout, /--format <text\|json>/);
  const decide = nsupgrade('decide', '--help').stdout;
  for (const flag of ['--client-version <V>', '--client-name <N>', '--at <TIME>', '--offered-last-hour <K>', '--failures <F>', '--format <text|json>']) assert.ok(decide.includes(flag), flag);
});

test('--help describes --clients: VERSION[:COUNT] and @FILE with the fleet columns', () => {
  for (const args of [['--help'], ['simulate', '--help'], ['plan', '--help']]) {
    const out = nsupgrade(...args).stdout;
    assert.match(out, /VERSION\[:COUNT\],\.\.\./, args.join(' '));
    assert.match(out, /@FILE/, args.join(' '));
    assert.match(out, /version,count\[,name\]\[,decline\]\[,apps\]\[,keepOpen\]\[,dropAt\]/, args.join(' '));
  }
});

test('--version and -V print the version of package.json', () => {
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  for (const flag of ['--version', '-V']) {
    const r = nsupgrade(flag);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, `${version}\n`);
  }
});

test('no command: the help on stderr, exit 2; an unknown command names itself and suggests', () => {
  const none = nsupgrade();
  assert.equal(none.code, 2);
  assert.equal(none.stdout, '');
  assert.match(none.stderr, /^Usage: nsupgrade/);
  const typo = nsupgrade('chek', 'examples/upgrade.ini');
  assert.equal(typo.code, 2);
  assert.match(typo.stderr, /^nsupgrade: unknown command 'chek'\n\(Did you mean check\?\)\n\(nsupgrade --help shows the usage\)\n$/);
});

test('usage errors: exit 2, the message, and which help to read; nothing on stdout', () => {
  for (const [args, message] of [
    [['check'], "missing required argument 'FILE'"],
    [['check', 'examples/upgrade.ini', '--format', 'xml'], '--format must be text or json, not "xml"'],
    [['check', 'examples/upgrade.ini', '--verbose'], "unknown option '--verbose'"],
    [['decide', 'examples/upgrade.ini'], "required option '--client-version <V>' not specified"],
    [['decide', 'a.ini', 'b.ini', '--client-version', '1'], "too many arguments for 'decide'. Expected 1 argument but got 2."],
    [['serve', 'examples/upgrade.ini', '--port', '65536'], '--port must be a whole number from 0 to 65535, not "65536"'],
    [['simulate', 'examples/upgrade.ini'], "required option '--clients <SPEC>' not specified"],
    [['simulate', 'examples/upgrade.ini', '--clients', '4.0', '--concurrency', '0'], '--concurrency must be a whole number from 1 to 10000, not "0"'],
    [['plan', 'examples/upgrade.ini', '--clients', '4.0', '--link', 'fast'], '--link: '],
  ] as const) {
    const r = nsupgrade(...args);
    assert.equal(r.code, 2, args.join(' '));
    assert.equal(r.stdout, '', args.join(' '));
    const [first, second] = r.stderr.split('\n');
    assert.ok(first.startsWith(`nsupgrade ${args[0]}: ${message}`), `${args.join(' ')}: ${r.stderr}`);
    assert.equal(second, `(nsupgrade ${args[0]} --help shows the usage)`);
  }
});
