import type { Command } from 'commander';
import { artifactsCommand } from './artifacts';
import { cancelCommand } from './cancel';
import { completionCommand } from './completion';
import { costCommand } from './cost';
import { dispatchCommand } from './dispatch';
import { doctorCommand } from './doctor';
import { fleetCommand } from './fleet';
import { listCommand } from './list';
import { localCommand } from './local';
import { logsCommand } from './logs';
import { mcpCommand } from './mcp';
import { simulateCommand } from './simulate';
import { statusCommand } from './status';
import { workspacesCommand } from './workspaces';
import type { Cli } from '../cli';

/** Every `outpost` command, in the order `--help` lists them: a new command is a file and a line here. */
export const COMMANDS: ReadonlyArray<(cli: Cli) => Command> = [
  dispatchCommand,
  statusCommand,
  listCommand,
  logsCommand,
  cancelCommand,
  artifactsCommand,
  workspacesCommand,
  fleetCommand,
  doctorCommand,
  costCommand,
  simulateCommand,
  mcpCommand,
  localCommand,
  completionCommand,
];
