import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { passwordProblem } from '../auth/passwords.js';

/**
 * A password for a command: from the environment variable the user names, or typed twice on a
 * terminal without echo. Prints why and returns `undefined` when there is none or it is too short.
 */
export async function readSecret(label: string, envName: string | undefined): Promise<string | undefined> {
  let password: string | undefined;
  if (envName) {
    password = process.env[envName];
    if (!password) return fail(`the environment variable ${envName} is not set`);
  } else {
    if (!process.stdin.isTTY) return fail('no terminal to ask for the password on: pass --password-env VAR');
    password = await ask(`${label}: `);
    if ((await ask(`${label} again: `)) !== password) return fail('the two passwords differ');
  }
  const problem = passwordProblem(password);
  return problem ? fail(`the password ${problem}`) : password;
}

function fail(message: string): undefined {
  process.stderr.write(`${message}\n`);
  process.exitCode = 1;
  return undefined;
}

function ask(prompt: string): Promise<string> {
  process.stderr.write(prompt);
  // The terminal echoes nothing typed: the readline writes to a sink.
  const muted = new Writable({ write: (_chunk, _encoding, done) => done() });
  const rl = createInterface({ input: process.stdin, output: muted, terminal: true });
  return new Promise((resolve) => {
    rl.question('', (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
  });
}
