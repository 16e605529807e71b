// XML in and out of awsQuery and restXml, following the shapes: element names from locationName,
// lists wrapped in <member> (or the list's own member name) unless flattened, maps as
// <entry><key/><value/></entry>, scalars as text. Members bound to headers or the URI are not
// body content and are left to the caller.
import { XMLParser } from 'fast-xml-parser';
import type { Member, ServiceModel, TimestampFormat } from './model.js';
import { scalarIn, scalarText } from './shapes.js';

/** Escapes element text (no attributes are written, so quotes stay as they are, as AWS sends them). */
export function escapeXml(value: unknown): string {
  return String(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const inBody = (m: Member) => !m.location && !m.xmlAttribute;

/** The elements of a value of `shapeName` (its members, items or text), without an element of its own. */
export function toXmlContent(model: ServiceModel, shapeName: string, value: unknown, format: TimestampFormat = 'iso8601'): string {
  if (value === undefined || value === null) return '';
  const shape = model.shape(shapeName);
  switch (shape.type) {
    case 'structure': {
      const v = value as Record<string, unknown>;
      return Object.entries(v)
        .filter(([, x]) => x !== undefined && x !== null)
        .map(([name, x]) => {
          const member = shape.members?.[name];
          if (!member) return `<${name}>${escapeXml(typeof x === 'object' ? JSON.stringify(x) : x)}</${name}>`;
          return inBody(member) ? memberXml(model, member, member.locationName ?? name, x, format) : '';
        })
        .join('');
    }
    case 'list':
      return (value as unknown[]).map((item) => element(shape.member!.locationName ?? 'member', toXmlContent(model, shape.member!.shape, item, format))).join('');
    case 'map':
      return Object.entries(value as Record<string, unknown>)
        .map(([k, x]) => element('entry', element(shape.key?.locationName ?? 'key', escapeXml(k)) + element(shape.value?.locationName ?? 'value', toXmlContent(model, shape.value!.shape, x, format))))
        .join('');
    default:
      return escapeXml(scalarText(shape, value, format));
  }
}

function memberXml(model: ServiceModel, member: Member, name: string, value: unknown, format: TimestampFormat): string {
  const shape = model.shape(member.shape);
  if (shape.type === 'list' && (member.flattened || shape.flattened)) {
    return (value as unknown[]).map((item) => element(name, toXmlContent(model, shape.member!.shape, item, format))).join('');
  }
  if (shape.type !== 'structure' && shape.type !== 'list' && shape.type !== 'map') return element(name, escapeXml(scalarText(shape, value, format, member)));
  return element(name, toXmlContent(model, member.shape, value, format));
}

const element = (name: string, content: string) => `<${name}>${content}</${name}>`;

const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, removeNSPrefix: true, ignoreDeclaration: true, trimValues: true });

/** Parses an XML document; returns its root element's content and the root's name. */
export function parseXml(text: string): { root: string; content: unknown } {
  const doc = parser.parse(text) as Record<string, unknown>;
  const [root, content] = Object.entries(doc)[0] ?? ['', undefined];
  return { root, content };
}

const asList = (x: unknown): unknown[] => (x === undefined || x === '' ? [] : Array.isArray(x) ? x : [x]);

/** An element's parsed content as a value of `shapeName`. */
export function fromXmlContent(model: ServiceModel, shapeName: string, node: unknown): unknown {
  const shape = model.shape(shapeName);
  switch (shape.type) {
    case 'structure': {
      const out: Record<string, unknown> = {};
      const n = (node ?? {}) as Record<string, unknown>;
      for (const [name, member] of Object.entries(shape.members ?? {})) {
        if (!inBody(member)) continue;
        const child = n[member.locationName ?? name];
        if (child === undefined) continue;
        const memberShape = model.shape(member.shape);
        if (memberShape.type === 'list' && (member.flattened || memberShape.flattened)) {
          out[name] = asList(child).map((item) => fromXmlContent(model, memberShape.member!.shape, item));
        } else {
          out[name] = fromXmlContent(model, member.shape, child);
        }
      }
      return out;
    }
    case 'list': {
      const items = (node ?? {}) as Record<string, unknown>;
      return asList(items[shape.member!.locationName ?? 'member']).map((item) => fromXmlContent(model, shape.member!.shape, item));
    }
    case 'map': {
      const entries = asList(((node ?? {}) as Record<string, unknown>).entry) as Record<string, unknown>[];
      return Object.fromEntries(entries.map((e) => [String(e[shape.key?.locationName ?? 'key']), fromXmlContent(model, shape.value!.shape, e[shape.value?.locationName ?? 'value'])]));
    }
    default:
      return scalarIn(shape, typeof node === 'object' ? '' : node);
  }
}
