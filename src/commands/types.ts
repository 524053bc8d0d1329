import type { Reply } from '../reply.ts';
import type { Caller } from '../caller.ts';
import type { Services } from '../services.ts';

export type { Caller, Platform } from '../caller.ts';

export interface CommandInput {
  caller: Caller;
  /** Everything after the command name, as typed (adapters join structured options in declared order). */
  args: string;
}

export interface CommandOption {
  name: string;
  description: string;
  required?: boolean;
  /** The platform asks the core for suggestions while the user types this option. */
  autocomplete?: boolean;
  /** The rest of the line belongs to this option (joined with spaces). */
  rest?: boolean;
  /**
   * The only values this option takes (Discord shows them as a menu; Slack and console users type the
   * value). Values are complete words of the argument text, like `kind:paper`.
   */
  choices?: Choice[];
}

export interface Subcommand {
  name: string;
  description: string;
  options: CommandOption[];
}

export interface Choice {
  name: string;
  value: string;
}

export interface Command {
  name: string;
  description: string;
  /** e.g. "/read <topic>" */
  usage: string;
  examples: string[];
  options: CommandOption[];
  subcommands?: Subcommand[];
  /** Might take longer than ~2 s (network, export): adapters defer before running it. */
  slow?: boolean;
  /**
   * Reads the caller's `canManageChannel` or `timezone`. Adapters whose platform charges a call for
   * them (Slack's users.info, rate-limited per workspace) look them up only for such commands; for
   * the others `canManageChannel` holds only what the adapter knows without asking.
   */
  usesCallerProfile?: boolean;
  run(input: CommandInput, services: Services): Promise<Reply>;
  /** Handle a press of a button this command rendered: id is `qr:<command>:<action>:<args…>`. */
  press?(action: string, args: string[], input: CommandInput, services: Services): Promise<Reply>;
  autocomplete?(option: string, partial: string, services: Services): Choice[];
}
