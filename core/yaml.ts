import { CORE_SCHEMA, load, YAMLException, type Schema } from 'js-yaml';
import { UserError } from './errors.js';

// Reading YAML (environment files, templates, key=value inputs) is js-yaml with YAML 1.2's core
// schema: no timestamps and no merge keys, as `yaml` reads it. Every action reads these files before
// its first AWS call, and js-yaml loads and parses them in about a quarter of `yaml`'s time.
// `yaml` stays where a file is edited and its comments and layout must survive (promote's pins).

export interface YamlOptions {
  /** The tags the text may use (CloudFormation's short forms); YAML 1.2's core schema by default. */
  schema?: Schema;
  /** Refuse anchors and aliases, saying why (CloudFormation does not read them). */
  noAnchors?: string;
  /** What the tags of `schema` are, for the error about a tag it does not know. */
  knownTags?: string;
}

/** Parses YAML (or JSON) to data; a syntax error names the source, line and column. Duplicate keys are errors. */
export function parseYaml(text: string, source: string, options: YamlOptions = {}): unknown {
  const { schema = CORE_SCHEMA, noAnchors, knownTags } = options;
  try {
    return load(text, {
      schema,
      listener: noAnchors
        ? (event, state) => {
          // js-yaml keeps a node's anchor on its state (not in @types/js-yaml) until the node closes.
          const anchor = (state as typeof state & { anchor?: string | null }).anchor;
          if (event === 'close' && anchor) throw new UserError(`${source}:${state.line + 1}: ${noAnchors} (&${anchor})`);
        }
        : undefined,
    });
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error;
    // js-yaml places an unclosed quote or bracket past the last line; its end is where to look.
    const unclosed = /^unexpected end of the stream within (.+)$/.exec(error.reason);
    if (unclosed) {
      const lines = text.replace(/\s+$/, '').split('\n');
      const at = `:${lines.length}:${lines[lines.length - 1].length + 1}`;
      throw new UserError(`${source}${at}: invalid YAML: the text ends inside a ${unclosed[1].replace(/^an? /, '')}: a quote or bracket is not closed`);
    }
    const tag = /^unknown tag !<(.+)>$/.exec(error.reason)?.[1];
    if (tag && knownTags) throw new UserError(`${source}: unknown tag '${tag}' (${knownTags})`);
    const where = error.mark ? `:${error.mark.line + 1}:${error.mark.column + 1}` : '';
    throw new UserError(`${source}${where}: invalid YAML: ${error.reason}`);
  }
}
