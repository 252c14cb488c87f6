import { Command, type Option } from "commander";
import { examples } from "../command-kit.js";
import { UsageError } from "../exit-codes.js";
import type { Io } from "../output.js";

const COMPLETE = "__complete";

const SCRIPTS: Record<string, string> = {
  bash: `###-begin-jobdeck-completion-###
_jobdeck_completion() {
  local IFS=$'\\n'
  COMPREPLY=($(jobdeck ${COMPLETE} -- "\${COMP_WORDS[@]:1:$COMP_CWORD}" 2>/dev/null))
}
complete -o default -F _jobdeck_completion jobdeck
###-end-jobdeck-completion-###
`,
  zsh: `#compdef jobdeck
_jobdeck() {
  local -a candidates
  candidates=("\${(@f)$(jobdeck ${COMPLETE} -- "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  compadd -- $candidates
}
compdef _jobdeck jobdeck
`,
  fish: `complete -c jobdeck -f -a '(jobdeck ${COMPLETE} -- (commandline -opc)[2..-1] (commandline -ct))'
`,
};

function findOption(command: Command | null, flag: string): Option | undefined {
  for (let at = command; at; at = at.parent) {
    const option = at.options.find((candidate) => candidate.long === flag || candidate.short === flag);
    if (option) return option;
  }
  return undefined;
}

function optionsOf(command: Command): string[] {
  const flags: string[] = [];
  for (let at: Command | null = command; at; at = at.parent) {
    for (const option of at.options) if (option.long && !option.hidden) flags.push(option.long);
  }
  return [...flags, "--help"];
}

/**
 * What may come next after `words` (the last one being typed): subcommands, flags, or an option's
 * choices. Read from the program's own definition, so every command and flag completes as defined.
 */
export function completionsFor(program: Command, words: string[]): string[] {
  const current = words[words.length - 1] ?? "";
  let command = program;
  let pending: Option | undefined;
  for (const word of words.slice(0, -1)) {
    if (pending) {
      pending = undefined;
      continue;
    }
    if (word.startsWith("-")) {
      const option = findOption(command, word);
      if (option && (option.required || option.optional)) pending = option;
      continue;
    }
    const sub = command.commands.find(
      (candidate) => candidate.name() === word || candidate.aliases().includes(word),
    );
    if (sub) command = sub;
  }
  const all = pending
    ? (pending.argChoices ?? [])
    : current.startsWith("-")
      ? optionsOf(command)
      : command.commands.map((candidate) => candidate.name()).filter((name) => !name.startsWith("__"));
  return all.filter((candidate) => candidate.startsWith(current));
}

export function completionCommands(io: Io, program: Command): Command[] {
  const completion = examples(
    new Command("completion")
      .argument("[shell]", "bash, zsh or fish", "bash")
      .description("print a shell completion script (commands, flags and their choices)")
      .action((shell: string) => {
        const script = SCRIPTS[shell];
        if (!script) throw new UsageError(`no completion for ${shell}: choose bash, zsh or fish`);
        io.stdout.write(script);
      }),
    [
      "jobdeck completion bash >> ~/.bashrc       # then open a new shell; or: source <(jobdeck completion bash)",
      "jobdeck completion zsh > ~/.zfunc/_jobdeck   # a directory in $fpath",
      "jobdeck completion fish > ~/.config/fish/completions/jobdeck.fish",
    ],
  );
  const complete = new Command(COMPLETE)
    .argument("[words...]")
    .allowUnknownOption()
    .action((words: string[] = []) => {
      for (const candidate of completionsFor(program, words)) io.stdout.write(`${candidate}\n`);
    });
  return [completion, complete];
}
