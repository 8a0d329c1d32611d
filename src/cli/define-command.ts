/**
 * `defineCommand({ name, summary, options, run })`: a command's options are declared once (type,
 * range, default, help text) and everything else comes from that declaration: the usage line, the
 * `--help` text, the unknown-option and bad-value errors, and the typed values `run` receives.
 *
 * Invariants:
 * - `--help` / `-h` anywhere prints the help on stdout and exits 0, before anything else is checked.
 * - Every usage problem is one message naming the option and what it accepts, then the usage line,
 *   on stderr with exit 2: an unknown option, a missing or malformed value, a value out of range, a
 *   required option left out, an argument no option takes. Never a stack trace.
 * - Option names from the command line are looked up in a Map of the declared options (own
 *   entries): `--constructor` or `--__proto__` is an unknown option like any other.
 * - A negative number is a value for numeric options (`--id -1` works as `--id=-1` does).
 * - Values are read in declaration order, so the first problem reported is the first option's.
 */
import { type ParseArgsConfig, parseArgs } from "node:util";
import {
  instantOption,
  intOption,
  joinNegativeValues,
  numberOption,
  type Range,
  usageError,
} from "./args.js";

/** One declared option; `T` is the type `run` receives for it. */
export interface Option<T> {
  readonly type: "boolean" | "string";
  readonly help: string;
  /** Placeholder in the usage line and help (`--port PORT`); defaults to the default value, then the name. */
  readonly value?: string;
  readonly short?: string;
  /** Takes negative numbers as values. */
  readonly numeric?: boolean;
  /** `--name [VALUE]`: given alone it reads as `true`. */
  readonly optionalValue?: boolean;
  readonly required?: boolean;
  readonly defaultText?: string;
  /** Turns what the command line gave (undefined when absent) into the value; throws a usage error. */
  read(given: string | boolean | undefined, name: string): T;
}

// biome-ignore lint/suspicious/noExplicitAny: the option table is heterogeneous by design
export type Options = Record<string, Option<any>>;
export type OptionValues<O extends Options> = { [K in keyof O]: O[K] extends Option<infer T> ? T : never };

interface ValueOpts<D> {
  /** Placeholder in usage and help. */
  value?: string;
  default?: D;
  /** Makes the option required; the text says what to give, e.g. "an instrument name such as BTC_USD". */
  required?: string;
  /** The default as the help shows it, when `String(default)` is not how a user writes it. */
  defaultText?: string;
}
type Result<T, O> = O extends { default: T } ? T : O extends { required: string } ? T : T | undefined;

function valueOption<T, O extends ValueOpts<T>>(
  help: string,
  o: O | undefined,
  parse: (text: string, name: string) => T,
  extra: Partial<Option<T>> = {},
): Option<Result<T, O>> {
  return {
    type: "string",
    help,
    ...(o?.value !== undefined ? { value: o.value } : {}),
    ...(o?.required !== undefined ? { required: true } : {}),
    ...(o?.default !== undefined ? { defaultText: o.defaultText ?? String(o.default) } : {}),
    ...extra,
    read(given, name) {
      if (given === undefined || given === true) {
        if (o?.required !== undefined) throw new Error(`--${name} is required: ${o.required}`);
        return o?.default as Result<T, O>;
      }
      return parse(String(given), name) as Result<T, O>;
    },
  };
}

/** The option builders: `option.int("port the emulator listens on", PORT_RANGE, { default: 8100 })`. */
export const option = {
  flag(help: string, o: { short?: string } = {}): Option<boolean> {
    return { type: "boolean", help, ...o, read: (given) => given === true };
  },
  string<const O extends ValueOpts<string>>(help: string, o?: O): Option<Result<string, O>> {
    return valueOption(help, o, (text) => text);
  },
  int<const O extends ValueOpts<number>>(help: string, range: Range, o?: O): Option<Result<number, O>> {
    return valueOption(help, o, (text, name) => intOption(name, text, range)!, { numeric: true });
  },
  number<const O extends ValueOpts<number>>(
    help: string,
    range: Range & { minExclusive?: boolean },
    o?: O,
  ): Option<Result<number, O>> {
    return valueOption(help, o, (text, name) => numberOption(name, text, range)!, { numeric: true });
  },
  /** An ISO date, date-time or ms since the epoch (args.ts `instantOption`). */
  instant<const O extends ValueOpts<number>>(help: string, o?: O): Option<Result<number, O>> {
    return valueOption(help, o, (text, name) => instantOption(name, text)!, { numeric: true });
  },
  /** A value parsed by the command's own function (which throws an Error naming the option). */
  custom<T, const O extends ValueOpts<T> = ValueOpts<T>>(
    help: string,
    parse: (text: string, name: string) => T,
    o?: O & { numeric?: boolean },
  ): Option<Result<T, O>> {
    return valueOption(help, o, parse, o?.numeric ? { numeric: true } : {});
  },
  /** `--name [VALUE]`: absent → undefined, alone → true, with a value → the value. */
  optionalValue(help: string, o: { value: string }): Option<string | true | undefined> {
    return {
      type: "string",
      help,
      value: o.value,
      optionalValue: true,
      read: (given) =>
        given === undefined ? undefined : given === true || given === "" ? true : String(given),
    };
  },
};

export interface CommandContext {
  /** Prints `err` as a usage error (message, then the usage line) and returns exit code 2. */
  usageError(err: unknown): number;
  /** The positional arguments, as declared in `positionals` (each checked against its choices). */
  positionals: string[];
}

/** A positional argument (`atp order buy BTC_USD`): required, in declaration order. */
export interface Positional {
  name: string;
  help: string;
  /** When given, the value must be one of these (compared exactly). */
  choices?: readonly string[];
}

export interface CommandDef<O extends Options> {
  name: string;
  /** One line, in `atp --help` and at the top of the command's help. */
  summary: string;
  /** Paragraphs printed in the help between the usage line and the options. */
  description?: string;
  /** Printed in the help after the options (exit codes, where to read more). */
  notes?: string;
  options: O;
  /** Positional arguments, all required (none by default: any positional is a usage error). */
  positionals?: readonly Positional[];
  run(values: OptionValues<O>, ctx: CommandContext): Promise<number>;
}

export interface Command {
  name: string;
  summary: string;
  /** The generated usage line (`atp demo [--port 8100] …`). */
  usage: string;
  /** The generated `--help` text. */
  help: string;
  run(args: string[]): Promise<number>;
}

/** The value's name in the help: the declared placeholder, else the option's name in capitals. */
function placeholder(name: string, o: Option<unknown>): string {
  return o.value ?? name.toUpperCase().replace(/-/g, "_");
}

function usageWord(name: string, o: Option<unknown>): string {
  if (o.type === "boolean") return `[--${name}]`;
  if (o.optionalValue) return `[--${name} [${placeholder(name, o)}]]`;
  // the usage line shows a default as the example value: `[--port 8100]`
  const word = `--${name} ${o.value ?? o.defaultText ?? placeholder(name, o)}`;
  return o.required ? word : `[${word}]`;
}

/** Words joined into lines of at most `width`, continuation lines indented under the first word's end. */
function wrap(head: string, words: readonly string[], width = 100): string {
  const indent = " ".repeat(head.length + 1);
  const lines: string[] = [];
  let line = head;
  for (const w of words) {
    if (line.length + 1 + w.length > width && line.trim() !== "") {
      lines.push(line);
      line = indent + w;
    } else line += ` ${w}`;
  }
  lines.push(line);
  return lines.join("\n");
}

function helpText(def: CommandDef<Options>, usage: string): string {
  const entries = Object.entries(def.options);
  const left = (name: string, o: Option<unknown>) =>
    `${o.short ? `-${o.short}, ` : ""}--${name}${o.type === "boolean" ? "" : o.optionalValue ? ` [${placeholder(name, o)}]` : ` ${placeholder(name, o)}`}`;
  const rows = [...entries.map(([n, o]) => [left(n, o), o] as const), ["-h, --help", undefined] as const];
  const width = Math.max(...rows.map(([l]) => l.length)) + 2;
  const lines = rows.map(([l, o]) => {
    const help = o
      ? `${o.help}${o.defaultText !== undefined ? ` (default ${o.defaultText})` : ""}`
      : "show this help";
    return `  ${l.padEnd(width)}${help.replace(/\n/g, `\n  ${" ".repeat(width)}`)}`;
  });
  return [
    def.summary,
    "",
    `usage: ${usage}`,
    ...(def.description ? ["", def.description] : []),
    ...(def.positionals?.length
      ? ["", "arguments:", ...def.positionals.map((p) => `  ${p.name.padEnd(width)}${p.help}`)]
      : []),
    "",
    "options:",
    ...lines,
    ...(def.notes ? ["", def.notes] : []),
    "",
  ].join("\n");
}

/** Splits off the `--name [VALUE]` options, which parseArgs cannot express. */
function takeOptionalValues(
  args: readonly string[],
  names: ReadonlySet<string>,
): { rest: string[]; given: Map<string, string | true> } {
  const rest: string[] = [];
  const given = new Map<string, string | true>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") {
      rest.push(...args.slice(i));
      break;
    }
    const eq = a.indexOf("=");
    const name = a.startsWith("--") ? a.slice(2, eq === -1 ? undefined : eq) : "";
    if (!names.has(name)) {
      rest.push(a);
    } else if (eq !== -1) {
      given.set(name, a.slice(eq + 1) || true);
    } else {
      const next = args[i + 1];
      if (next !== undefined && !next.startsWith("-")) {
        given.set(name, next);
        i++;
      } else given.set(name, true);
    }
  }
  return { rest, given };
}

/** The first option on the command line that is not declared, or undefined. */
function unknownOption(
  args: readonly string[],
  options: ReadonlyMap<string, Option<unknown>>,
): string | undefined {
  const shorts = new Set([...options.values()].flatMap((o) => (o.short ? [o.short] : [])));
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") return undefined;
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const name = a.slice(2, eq === -1 ? undefined : eq);
      const o = options.get(name);
      if (!o) return `--${name}`;
      if (o.type === "string" && eq === -1) i++; // its value, whatever it looks like
    } else if (/^-[^\d-]/.test(a)) {
      for (const ch of a.slice(1)) if (!shorts.has(ch)) return `-${ch}`;
    }
  }
  return undefined;
}

export function defineCommand<O extends Options>(def: CommandDef<O>): Command {
  const entries = Object.entries(def.options) as [string, Option<unknown>][];
  const byName: ReadonlyMap<string, Option<unknown>> = new Map(entries);
  const declared = def.positionals ?? [];
  const usage = wrap(`atp ${def.name}`, [
    ...declared.map((p) => (p.choices ? p.choices.join("|") : p.name)),
    ...entries.map(([n, o]) => usageWord(n, o)),
  ]);
  const help = helpText(def as CommandDef<Options>, usage);
  const fail = (err: unknown) => usageError(def.name, err, usage);
  const optional = new Set(entries.filter(([, o]) => o.optionalValue).map(([n]) => n));
  const numeric = entries.filter(([, o]) => o.numeric).map(([n]) => n);
  const parseConfig = Object.fromEntries(
    entries
      .filter(([, o]) => !o.optionalValue)
      .map(([n, o]) => [n, { type: o.type, ...(o.short ? { short: o.short } : {}) }]),
  );

  function parse(args: string[]): { values: OptionValues<O>; positionals: string[] } {
    const { rest, given } = takeOptionalValues(args, optional);
    const joined = joinNegativeValues(rest, numeric);
    const unknown = unknownOption(joined, byName);
    if (unknown) {
      const known = entries.map(([n]) => `--${n}`).join(", ");
      throw new Error(`unknown option '${unknown}' (options: ${known || "none"}, --help)`);
    }
    const { values, positionals } = parseArgs({
      args: joined,
      options: parseConfig as NonNullable<ParseArgsConfig["options"]>,
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length > declared.length)
      throw new Error(`unexpected argument "${positionals[declared.length]}"`);
    declared.forEach((p, i) => {
      const given = positionals[i];
      if (given === undefined) throw new Error(`missing ${p.name}: ${p.help}`);
      if (p.choices && !p.choices.includes(given))
        throw new Error(`${p.name} must be one of ${p.choices.join(", ")}, not "${given}"`);
    });
    const out: Record<string, unknown> = {};
    for (const [name, o] of entries) {
      const raw = o.optionalValue
        ? given.get(name)
        : (values as Record<string, string | boolean | undefined>)[name];
      out[name] = o.read(raw, name);
    }
    return { values: out as OptionValues<O>, positionals };
  }

  return {
    name: def.name,
    summary: def.summary,
    usage,
    help,
    async run(args: string[]): Promise<number> {
      const before = args.indexOf("--");
      const flags = before === -1 ? args : args.slice(0, before);
      if (flags.includes("--help") || flags.includes("-h")) {
        process.stdout.write(help);
        return 0;
      }
      let parsed: ReturnType<typeof parse>;
      try {
        parsed = parse(args);
      } catch (err) {
        return fail(err);
      }
      return def.run(parsed.values, { usageError: fail, positionals: parsed.positionals });
    },
  };
}
