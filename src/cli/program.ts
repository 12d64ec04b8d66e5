import { Command } from 'commander';
import { registerStartCommand } from './start.js';
import { registerSandboxErpCommand } from './sandbox-erp.js';
import { registerConfigCommand } from './config-check.js';
import { registerDeadLetterCommands } from './dead-letters.js';
import { registerMapCommand } from './map.js';
import { registerEdiCommands } from './edi.js';
import { registerUserCommands } from './users.js';
import { registerApiClientCommands } from './api-clients.js';
import { registerInventoryCommands } from './inventory.js';

/** The `crossdock` command line: one file per command. */
export function buildProgram(): Command {
  const program = new Command('crossdock')
    .description('Integration hub for distributors: orders from every channel into the ERP, exactly once.')
    .showHelpAfterError();
  registerStartCommand(program);
  registerSandboxErpCommand(program);
  registerConfigCommand(program);
  registerDeadLetterCommands(program);
  registerMapCommand(program);
  registerEdiCommands(program);
  registerUserCommands(program);
  registerApiClientCommands(program);
  registerInventoryCommands(program);
  return program;
}
