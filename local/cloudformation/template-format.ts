// Reading a template as CloudFormation does, with its "Template format error" texts: tools match
// them (the SAM and CDK CLIs print them as they are), so the twin answers in the same words.
import { cfnValidationError } from './engine.js';
import { parseTemplate, type Template } from '../../core/cfn-template.js';

const SECTIONS = new Set(['AWSTemplateFormatVersion', 'Description', 'Metadata', 'Parameters', 'Rules', 'Mappings', 'Conditions', 'Transform', 'Resources', 'Outputs', 'Hooks']);

/** Our parser's message, `<source>:<line>:<col>: ...`, as CloudFormation's not-well-formed error. */
function syntaxError(body: string, message: string): Error {
  const at = message.match(/^template:(\d+):(\d+):/);
  const kind = body.trimStart().startsWith('{') ? 'JSON' : 'YAML';
  return cfnValidationError(`Template format error: ${kind} not well-formed. ${at ? `(line ${at[1]}, column ${at[2]})` : ''}`.trim());
}

export function readTemplate(body: string): Template {
  let template: Template;
  try {
    template = parseTemplate(body, 'template');
  } catch (error) {
    const message = (error as Error).message;
    if (/has no Resources/.test(message)) throw cfnValidationError('Template format error: At least one Resources member must be defined.');
    if (/must be a mapping/.test(message)) throw cfnValidationError('Template format error: unsupported structure.');
    throw syntaxError(body, message);
  }
  const unknown = Object.keys(template).filter((k) => !SECTIONS.has(k));
  if (unknown.length) throw cfnValidationError(`Template format error: Invalid template property or properties [${unknown.join(', ')}]`);
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (typeof resource !== 'object' || resource === null || typeof resource.Type !== 'string') {
      throw cfnValidationError(`Template format error: [/Resources/${id}] Every Resources object must contain a Type member.`);
    }
  }
  return template;
}
