// Values typed by their shapes, in both directions. Requests arrive as JSON values, query strings,
// headers or XML text and leave here as what handlers take (numbers, booleans, Dates, Buffers);
// handlers' outputs leave as what each wire format writes (timestamps as epoch seconds, ISO 8601
// or HTTP dates), so no handler formats a timestamp or a number itself.
import type { Member, ServiceModel, Shape, TimestampFormat } from './model.js';

const NUMBER_TYPES = new Set(['integer', 'long', 'double', 'float']);

/** A timestamp as written on the wire: epoch seconds, ISO 8601 or an HTTP date. */
export function parseTimestamp(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'number' || /^-?\d+(\.\d+)?$/.test(String(value))) return new Date(Number(value) * 1000);
  return new Date(String(value));
}

export function formatTimestamp(value: Date, format: TimestampFormat): string | number {
  if (format === 'unixTimestamp') return value.getTime() / 1000;
  if (format === 'rfc822') return value.toUTCString();
  return value.toISOString();
}

/** A scalar from text (query strings, headers, XML) or JSON, as the shape's type. */
export function scalarIn(shape: Shape, value: unknown): unknown {
  if (value === undefined || value === null) return value;
  if (NUMBER_TYPES.has(shape.type)) return typeof value === 'number' ? value : Number(value);
  if (shape.type === 'boolean') return typeof value === 'boolean' ? value : String(value) === 'true';
  if (shape.type === 'timestamp') return parseTimestamp(value);
  return value;
}

/** A JSON request body typed by its shape: timestamps become Dates. */
export function typedInput(model: ServiceModel, shapeName: string, value: unknown): unknown {
  return mapShape(model, shapeName, value, (shape, v) => scalarIn(shape, v));
}

/** Text that spells a number, as that number where the shape is a number type; anything else as it is. */
function numberFromText(shape: Shape, v: unknown): unknown {
  return NUMBER_TYPES.has(shape.type) && typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v;
}

/**
 * Template properties as a resource provider hands them to the API: CloudFormation passes a Number
 * parameter (and `!Sub`, `!Select` results) as text, and the provider converts by the API's types.
 * Text that is not a number or boolean stays as it is, for the handler to refuse.
 */
export function propertiesInput(model: ServiceModel, shapeName: string, value: unknown): unknown {
  return mapShape(model, shapeName, value, (shape, v) => {
    if (shape.type === 'boolean' && (v === 'true' || v === 'false')) return v === 'true';
    return numberFromText(shape, v);
  });
}

/**
 * A handler's output as a JSON protocol writes it: timestamps as epoch seconds (unless the shape
 * says otherwise), numbers and booleans as themselves even when a handler holds them as text.
 */
export function jsonOutput(model: ServiceModel, shapeName: string, value: unknown): unknown {
  return mapShape(model, shapeName, value, (shape, v, member) => {
    if (shape.type === 'timestamp') return formatTimestamp(asDate(v), member?.timestampFormat ?? shape.timestampFormat ?? 'unixTimestamp');
    if (shape.type === 'boolean' && typeof v === 'string') return v === 'true';
    if (shape.type === 'blob' && Buffer.isBuffer(v)) return v.toString('base64');
    return numberFromText(shape, v);
  });
}

/** A scalar as element or header text. */
export function scalarText(shape: Shape, value: unknown, format: TimestampFormat, member?: Member): string {
  if (shape.type === 'timestamp') return String(formatTimestamp(asDate(value), member?.timestampFormat ?? shape.timestampFormat ?? format));
  if (shape.type === 'blob' && Buffer.isBuffer(value)) return value.toString('base64');
  return String(value);
}

function asDate(value: unknown): Date {
  if (value instanceof Date) return value;
  throw new Error(`a timestamp must be a Date, got ${typeof value} ${JSON.stringify(value)}`);
}

/** The value with `leaf` applied to every scalar, following the shapes through structures, lists and maps. */
function mapShape(
  model: ServiceModel,
  shapeName: string,
  value: unknown,
  leaf: (shape: Shape, value: unknown, member?: Member) => unknown,
  member?: Member,
): unknown {
  if (value === undefined || value === null) return value;
  const shape = model.shape(shapeName);
  switch (shape.type) {
    case 'structure': {
      if (typeof value !== 'object' || Buffer.isBuffer(value)) return value;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const m = shape.members?.[k];
        out[k] = m ? mapShape(model, m.shape, v, leaf, m) : v;
      }
      return out;
    }
    case 'list':
      return Array.isArray(value) ? value.map((v) => mapShape(model, shape.member!.shape, v, leaf, shape.member)) : value;
    case 'map':
      if (typeof value !== 'object') return value;
      return Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, mapShape(model, shape.value!.shape, v, leaf, shape.value)]),
      );
    default:
      return leaf(shape, value, member);
  }
}
